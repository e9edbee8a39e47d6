package org.acme.bank.web;

import java.math.BigDecimal;
import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.ledger.Transfer;

@RegisterForReflection
public record TransferView(long id, long from, long to, BigDecimal amount, String strategy, int attempts,
        Instant createdAt) {

    static TransferView of(Transfer transfer) {
        return new TransferView(transfer.id, transfer.fromAccountId, transfer.toAccountId, transfer.amount,
                transfer.strategy, transfer.attempts, transfer.createdAt);
    }
}
