package org.acme.bank.web;

import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The caller is named by one bearer token of the shape a signed JWT has, or the request is a 401 before it is
 * authenticated (pre-matching: lazy authentication comes later). Two {@code Authorization} headers would let the
 * service and a proxy or log that reads the other one disagree on who called. A bearer token that is not three
 * base64url parts would reach Quarkus OIDC's parsing, which fails on some of them (a token of dots) with an exception
 * that is no authentication failure, a 500.
 */
@ApplicationScoped
public class SingleBearerToken {

    private static final String BEARER = "bearer ";
    /** A JWS in compact serialization, as the tokens the service verifies are: header, claims, signature. */
    private static final Pattern SIGNED_JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    @ServerRequestFilter(preMatching = true)
    public void refuseAmbiguousOrMalformedTokens(HttpServerRequest request) {
        List<String> authorizations = request.headers().getAll(HttpHeaders.AUTHORIZATION);
        if (authorizations.size() > 1) {
            throw new AuthenticationFailedException("Authorization sent " + authorizations.size() + " times");
        }
        if (authorizations.size() == 1) {
            String authorization = authorizations.get(0);
            String token = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? authorization.substring(BEARER.length()).strip() : "";
            // No token at all is Quarkus' to answer, as a request without credentials.
            if (!token.isEmpty() && !SIGNED_JWT.matcher(token).matches()) {
                throw new AuthenticationFailedException("the bearer token is not a signed JWT");
            }
        }
    }
}
