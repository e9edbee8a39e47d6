package org.acme.bank.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The tests' key, issuer and audience ({@link Tokens}) for {@code @QuarkusTest} and for the packaged application of
 * {@code @QuarkusIntegrationTest}: the application trusts the tokens the tests sign, and no artifact holds the key.
 */
public class TestIdentity implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.public-key", Tokens.publicKey(),
                "quarkus.oidc.token.issuer", Tokens.ISSUER,
                "quarkus.oidc.token.audience", Tokens.AUDIENCE);
    }

    @Override
    public void stop() {
    }
}
