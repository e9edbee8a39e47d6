package org.acme.bank.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start where tokens would be checked less than promised: the audience is always named, and a fixed key
 * comes with the issuer its tokens must carry (a provider's issuer comes from its discovery document); the issuer is
 * never {@code any}, which would turn its check off.
 */
@Startup
@Singleton
class IdentityStartupCheck {

    IdentityStartupCheck(Config config) {
        List<String> missing = new ArrayList<>();
        if (value(config, "quarkus.oidc.token.audience").isEmpty()) {
            missing.add("quarkus.oidc.token.audience (QUARKUS_OIDC_TOKEN_AUDIENCE): the audience this service's "
                    + "tokens carry");
        }
        boolean provider = value(config, "quarkus.oidc.auth-server-url").isPresent();
        boolean fixedKey = value(config, "quarkus.oidc.public-key").isPresent();
        if (!provider && !fixedKey) {
            missing.add("quarkus.oidc.auth-server-url (QUARKUS_OIDC_AUTH_SERVER_URL) or quarkus.oidc.public-key "
                    + "(QUARKUS_OIDC_PUBLIC_KEY): where the tokens' keys come from");
        }
        if (!provider && fixedKey && value(config, "quarkus.oidc.token.issuer").isEmpty()) {
            missing.add("quarkus.oidc.token.issuer (QUARKUS_OIDC_TOKEN_ISSUER): the issuer tokens signed with "
                    + "quarkus.oidc.public-key carry");
        }
        if (value(config, "quarkus.oidc.token.issuer").filter("any"::equalsIgnoreCase).isPresent()) {
            missing.add("quarkus.oidc.token.issuer (QUARKUS_OIDC_TOKEN_ISSUER) to an issuer, not any");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Bearer tokens cannot be checked as promised; set "
                    + String.join("; ", missing));
        }
    }

    private static Optional<String> value(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(value -> !value.isBlank());
    }
}
