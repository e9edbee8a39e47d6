package org.acme.bank.web;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

import org.acme.bank.Caller;

/**
 * The authenticated token as the domain sees it: its subject ({@code sub}, checked by {@link TokenRules}) and the
 * bank's roles among its roles.
 */
final class Callers {

    private Callers() {
    }

    static Caller of(SecurityIdentity identity) {
        Set<Caller.Role> roles = EnumSet.noneOf(Caller.Role.class);
        for (Caller.Role role : Caller.Role.values()) {
            if (identity.hasRole(role.name().toLowerCase(Locale.ROOT))) {
                roles.add(role);
            }
        }
        return new Caller(identity.getPrincipal().getName(), roles);
    }
}
