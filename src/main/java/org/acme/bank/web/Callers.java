package org.acme.bank.web;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

import org.acme.bank.Caller;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The verified token as the domain sees it: its subject ({@code sub}) and the bank's roles among its roles. */
final class Callers {

    /** The widest subject an owner column or an idempotency key holds. */
    static final int MAX_SUBJECT_LENGTH = 255;
    /**
     * The longest token accepted: several times a provider's usual one (1 to 2 KB from Keycloak, with roles), far
     * below the header limit, so that no client makes every request carry and parse kilobytes of claims.
     */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private Callers() {
    }

    static Caller of(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getRawToken() != null
                && token.getRawToken().length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationFailedException("The token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        String subject = identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new AuthenticationFailedException("The token's sub must name its subject in 1 to "
                    + MAX_SUBJECT_LENGTH + " characters");
        }
        Set<Caller.Role> roles = EnumSet.noneOf(Caller.Role.class);
        for (Caller.Role role : Caller.Role.values()) {
            if (identity.hasRole(role.name().toLowerCase(Locale.ROOT))) {
                roles.add(role);
            }
        }
        return new Caller(subject, roles);
    }
}
