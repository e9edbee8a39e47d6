package org.acme.bank.ledger;

import org.acme.bank.BankException;

/** The audit was not run, or not finished, so that transfers keep their connections: ask again later. */
public class AuditUnavailableException extends BankException {

    public AuditUnavailableException(String message) {
        super(message);
    }
}
