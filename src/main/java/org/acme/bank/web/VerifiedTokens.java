package org.acme.bank.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.acme.bank.config.BankConfig;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The identities of bearer tokens already verified, by the token's exact text, each until the token expires or
 * {@code bank.identity.token-cache.max-age} after its verification, whichever is sooner. A client sends the same token
 * with each request until it expires, and verifying it (parsing it, its RSA signature, building the identity from its
 * claims) took a fifth to a quarter of the service's CPU per transfer (docs/lab.md). Asked before the OIDC provider:
 * a token it does not remember goes on to be verified. Only a token that passed every check, the OIDC provider's and
 * {@link TokenRules}', is remembered ({@link Remember}, the last augmentor), so a token that fails one is checked, and
 * refused, every time it comes.
 */
@ApplicationScoped
class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /** Attributes of the request that verified a token: each request that reuses the token gets its own. */
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String BLOCKING_CONTEXT = AuthenticationRequestContext.class.getName();

    private record Verified(SecurityIdentity identity, long untilMillis) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final int maxSize;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    private volatile long nextSweepMillis;

    @Inject
    VerifiedTokens(BankConfig config) {
        this(config.identity().tokenCache().maxSize(), config.identity().tokenCache().maxAge(),
                System::currentTimeMillis);
    }

    VerifiedTokens(int maxSize, Duration maxAge, LongSupplier clock) {
        this.maxSize = maxSize;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Before the OIDC provider, which keeps the default priority. */
    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        SecurityIdentity identity = identityOf(request.getToken().getToken());
        if (identity == null) {
            return Uni.createFrom().nullItem();
        }
        QuarkusSecurityIdentity.Builder mine = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(BLOCKING_CONTEXT, context);
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routing != null) {
            mine.addAttribute(ROUTING_CONTEXT, routing);
        }
        return Uni.createFrom().item(mine.build());
    }

    /** The identity remembered for the token, without its request's attributes; null if none, or no longer. */
    SecurityIdentity identityOf(String token) {
        Verified known = verified.get(token);
        if (known == null) {
            return null;
        }
        if (clock.getAsLong() >= known.untilMillis()) {
            verified.remove(token, known);
            return null;
        }
        return known.identity();
    }

    /**
     * Remembers a verified token's identity until its {@code exp}, in seconds, or for the max age. When full, the
     * expired are dropped first; if none has expired, the token is not remembered.
     */
    void remember(String token, SecurityIdentity identity, long expiresAtSeconds) {
        if (maxSize == 0 || verified.containsKey(token)) {
            return;
        }
        long now = clock.getAsLong();
        long until = Math.min(now + maxAgeMillis, Math.min(expiresAtSeconds, Long.MAX_VALUE / 1000) * 1000);
        if (until <= now) {
            return;
        }
        if (verified.size() >= maxSize) {
            // At most one sweep a second: while every token remembered is still valid, each new one would scan them all.
            if (now < nextSweepMillis) {
                return;
            }
            nextSweepMillis = now + 1000;
            verified.values().removeIf(known -> now >= known.untilMillis());
            if (verified.size() >= maxSize) {
                return;
            }
        }
        verified.put(token, new Verified(withoutRequest(identity), until));
    }

    /**
     * The identity without anything of the request that verified it. Built anew, not copied: a copy made by
     * {@code QuarkusSecurityIdentity.builder(identity)} asks the original for permissions, and so keeps it, and the
     * original holds its request's routing context (the request, its body). Permission checkers are not kept: the
     * service checks roles and owners, no permissions.
     */
    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.remove(ROUTING_CONTEXT);
        attributes.remove(BLOCKING_CONTEXT);
        return QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal()).addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials()).addAttributes(attributes).build();
    }

    /** How many tokens are remembered now. */
    int size() {
        return verified.size();
    }

    /** Runs after every other augmentor, so that what it remembers passed them all. */
    @ApplicationScoped
    static class Remember implements SecurityIdentityAugmentor {

        private final VerifiedTokens tokens;

        Remember(VerifiedTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
            if (identity.getPrincipal() instanceof JsonWebToken token && token.getRawToken() != null
                    && token.getClaim("exp") instanceof Number expiresAt) {
                tokens.remember(token.getRawToken(), identity, expiresAt.longValue());
            }
            return Uni.createFrom().item(identity);
        }
    }
}
