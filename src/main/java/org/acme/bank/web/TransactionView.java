package org.acme.bank.web;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.ledger.Transfer;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
public record TransactionView(
        @Schema(description = "The transaction's id, which is also its first leg's", example = "1040") long id,
        @Schema(example = "pessimistic") String strategy,
        @Schema(example = "2026-11-22T08:00:00.123456Z") Instant createdAt,
        @Schema(description = "The legs in the order they applied, each a transfer of the ledger") List<TransferView> legs) {

    static TransactionView of(List<Transfer> legs) {
        Transfer first = legs.get(0);
        return new TransactionView(first.id, first.strategy, first.createdAt,
                legs.stream().map(TransferView::of).toList());
    }
}
