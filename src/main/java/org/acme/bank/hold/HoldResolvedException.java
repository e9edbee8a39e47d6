package org.acme.bank.hold;

import org.acme.bank.BankException;

/** The hold is no longer pending: it was posted, voided, or it expired; a hold is resolved once. */
public class HoldResolvedException extends BankException {

    private final HoldStatus status;

    public HoldResolvedException(long holdId, HoldStatus status) {
        super("Hold " + holdId + " is " + status.label() + (status == HoldStatus.EXPIRED ? "" : " already"));
        this.status = status;
    }

    public HoldStatus status() {
        return status;
    }
}
