package org.acme.bank.web;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.ledger.Transfer;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
public record TransferView(
        @Schema(example = "1042") long id,
        @Schema(example = "1") long from,
        @Schema(example = "2") long to,
        @Schema(example = "25.00") BigDecimal amount,
        @Schema(example = "pessimistic") String strategy,
        @Schema(description = "Transactions the transfer took (optimistic retries)", example = "1") int attempts,
        @Schema(example = "2026-11-22T08:00:00.123456Z") Instant createdAt,
        @Schema(description = "The transaction this transfer is a leg of (GET /transactions/{transactionId}); absent "
                + "for a transfer of its own", example = "1040")
        @JsonInclude(JsonInclude.Include.NON_NULL) Long transactionId) {

    static TransferView of(Transfer transfer) {
        return new TransferView(transfer.id, transfer.fromAccountId, transfer.toAccountId, transfer.amount,
                transfer.strategy, transfer.attempts, transfer.createdAt, transfer.transactionId);
    }
}
