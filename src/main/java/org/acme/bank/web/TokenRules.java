package org.acme.bank.web;

import java.time.Duration;
import java.time.Instant;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import org.acme.bank.Caller;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What a token must be here beyond a valid signature, expiry, issuer and audience, checked while it is authenticated
 * (so that a token breaking them is a 401 before anything of the request is read): at most {@link #MAX_TOKEN_LENGTH}
 * characters, issued no later than {@link #ISSUED_AT_CLOCK_SKEW} from now, and a {@code sub} that is a subject
 * ({@link Caller#isSubject}), as an owner column holds it.
 */
@ApplicationScoped
class TokenRules implements SecurityIdentityAugmentor {

    /**
     * The longest token accepted: several times a provider's usual one (1 to 2 KB from Keycloak, with roles). Judged
     * after its signature, within the HTTP layer's header limit; it keeps kilobytes of claims out of every request's
     * caller and logs.
     */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;

    /**
     * How far ahead of this instance's clock a token's {@code iat} may be: a provider's clock may run a little ahead,
     * but a token issued later than that comes from a provider whose clock is wrong. Quarkus checks
     * {@code exp} and {@code nbf}; {@code iat} only when a maximum age is set, which the service leaves to the provider.
     */
    static final Duration ISSUED_AT_CLOCK_SKEW = Duration.ofMinutes(1);

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        String refusal = refusal(identity);
        return refusal == null ? Uni.createFrom().item(identity)
                : Uni.createFrom().failure(new AuthenticationFailedException(refusal));
    }

    private static String refusal(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return "not a JWT";
        }
        if (token.getRawToken() != null && token.getRawToken().length() > MAX_TOKEN_LENGTH) {
            return "longer than " + MAX_TOKEN_LENGTH + " characters";
        }
        // Read as the claim it is: getIssuedAtTime() throws on an iat with a fraction, which RFC 7519 allows.
        Object issuedAt = token.getClaim(Claims.iat.name());
        Number issued = issuedAt instanceof Number number ? number
                : issuedAt instanceof JsonNumber json ? json.numberValue() : null;
        if (issued != null
                && issued.doubleValue() > Instant.now().getEpochSecond() + ISSUED_AT_CLOCK_SKEW.toSeconds()) {
            return "issued in the future";
        }
        Object subject = token.getClaim("sub");
        String text = subject instanceof String string ? string
                : subject instanceof JsonString json ? json.getString() : null;
        if (!Caller.isSubject(text)) {
            return "its sub is not a subject: 1 to " + Caller.MAX_SUBJECT_LENGTH + " characters, at least one visible, "
                    + "without control characters or unpaired surrogates";
        }
        return null;
    }
}
