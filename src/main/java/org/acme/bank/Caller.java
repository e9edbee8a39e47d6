package org.acme.bank;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who asks: the token's subject and the roles that matter here. Built by the web layer from the verified token and
 * handed down with each command, so that every rule of who may do what is decided where the data is read.
 */
public record Caller(String subject, Set<Role> roles) {

    /** The widest subject: what an owner column and an idempotency key's subject hold. */
    public static final int MAX_SUBJECT_LENGTH = 255;

    /** The roles the bank knows; a caller with neither is a customer. */
    public enum Role {
        /** Opens accounts for anyone, with an opening balance: the only way money enters. Reads every account. */
        TELLER,
        /** Runs the audit. Reads every account and transfer. */
        AUDITOR
    }

    public Caller {
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Tellers and auditors read every account and transfer; a customer only their own. */
    public boolean readsEverything() {
        return has(Role.TELLER) || has(Role.AUDITOR);
    }

    /** Refuses the action unless the caller has the role. */
    public void require(Role role, String action) {
        if (!has(role)) {
            throw new ForbiddenActionException(subject, action + " needs the role " + role.name().toLowerCase(Locale.ROOT));
        }
    }
}
