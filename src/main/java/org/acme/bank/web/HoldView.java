package org.acme.bank.web;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.hold.Hold;
import org.acme.bank.hold.HoldService;
import org.acme.bank.hold.HoldStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HoldView(
        @Schema(example = "7") long id,
        @Schema(example = "1") long from,
        @Schema(example = "2") long to,
        @Schema(example = "25.00") BigDecimal amount,
        @Schema(description = "pending until posted, voided or expired; expired from expiresAt on, whether or not the "
                + "clean-up has run", example = "pending") HoldStatus status,
        @Schema(example = "pessimistic") String strategy,
        @Schema(example = "2026-12-01T08:00:00.123456Z") Instant createdAt,
        @Schema(example = "2026-12-01T08:01:00.123456Z") Instant expiresAt,
        @Schema(description = "When it was posted or voided, or its expiry for an expired hold released by the "
                + "clean-up; absent while pending") Instant resolvedAt,
        @Schema(description = "What a posting transferred; absent unless posted", example = "20.00")
        BigDecimal postedAmount,
        @Schema(description = "The transfer that posted it (GET /transfers/{transferId}); absent unless posted",
                example = "1042") Long transferId) {

    static HoldView of(HoldService.Answer answer) {
        Hold hold = answer.hold();
        return new HoldView(hold.id, hold.fromAccountId, hold.toAccountId, hold.amount, answer.status(),
                hold.strategy, hold.createdAt, hold.expiresAt, hold.resolvedAt, hold.postedAmount, hold.transferId);
    }
}
