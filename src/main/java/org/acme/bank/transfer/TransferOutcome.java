package org.acme.bank.transfer;

import org.acme.bank.BankException;
import org.acme.bank.SqlStates;
import org.acme.bank.account.InsufficientFundsException;
import org.jboss.logging.Logger;

/**
 * How one transfer request ended, as counted in the {@code outcome} tag of {@code bank_transfers_seconds} and logged
 * at a level that says who has to act: nobody (a refusal), perhaps the operator (races and outages), a developer.
 */
enum TransferOutcome {
    SUCCEEDED("succeeded", Logger.Level.DEBUG),
    REPLAYED("replayed", Logger.Level.DEBUG),
    INSUFFICIENT_FUNDS("insufficient_funds", Logger.Level.INFO),
    REJECTED("rejected", Logger.Level.INFO),
    DEADLOCK("deadlock", Logger.Level.WARN),
    CONFLICT("conflict", Logger.Level.WARN),
    UNAVAILABLE("unavailable", Logger.Level.WARN),
    UNKNOWN("unknown", Logger.Level.WARN),
    ERROR("error", Logger.Level.ERROR);

    private final String tag;
    private final Logger.Level logLevel;

    TransferOutcome(String tag, Logger.Level logLevel) {
        this.tag = tag;
        this.logLevel = logLevel;
    }

    String tag() {
        return tag;
    }

    Logger.Level logLevel() {
        return logLevel;
    }

    static TransferOutcome of(TransferResult result) {
        return result.replayed() ? REPLAYED : SUCCEEDED;
    }

    static TransferOutcome of(RuntimeException failure) {
        if (failure instanceof InsufficientFundsException) {
            return INSUFFICIENT_FUNDS;
        }
        if (failure instanceof ConcurrencyConflictException conflict) {
            return conflict.kind() == ConflictKind.DEADLOCK ? DEADLOCK : CONFLICT;
        }
        if (failure instanceof IdempotencyKeyInProgressException) {
            return CONFLICT;
        }
        if (failure instanceof TransferOutcomeUnknownException) {
            return UNKNOWN;
        }
        if (failure instanceof TransferQueueFullException) {
            return UNAVAILABLE;
        }
        if (failure instanceof BankException) {
            return REJECTED;
        }
        return SqlStates.isDatabaseUnavailable(failure) ? UNAVAILABLE : ERROR;
    }
}
