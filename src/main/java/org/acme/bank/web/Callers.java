package org.acme.bank.web;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

import org.acme.bank.Caller;

/** The verified token as the domain sees it: its subject ({@code sub}) and the bank's roles among its roles. */
final class Callers {

    /** The widest subject an owner column or an idempotency key holds. */
    static final int MAX_SUBJECT_LENGTH = 255;

    private Callers() {
    }

    static Caller of(SecurityIdentity identity) {
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
