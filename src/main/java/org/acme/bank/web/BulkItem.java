package org.acme.bank.web;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.acme.bank.Caller;
import org.acme.bank.Money;
import org.acme.bank.transfer.TransferCommand;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One transfer of {@code POST /transfers/bulk}: a transfer's body, with its own idempotency key if it has one. */
public record BulkItem(
        @Schema(description = "The account the money leaves", example = "1") @NotNull @Positive Long from,
        @Schema(description = "The account the money reaches", example = "2") @NotNull @Positive Long to,
        @Schema(example = "25.00") @NotNull @Positive @MoneyAmount BigDecimal amount,
        @Schema(description = "This transfer's Idempotency-Key, as the header of a transfer of its own",
                example = "payroll-2026-11-0001") @IdempotencyKeyValue String idempotencyKey) {

    @JsonIgnore
    @AssertTrue(message = "from and to must be different accounts")
    public boolean isDistinctAccounts() {
        return from == null || !from.equals(to);
    }

    /**
     * Whether the item keeps every rule above, checked by hand: the common case of a bulk, which then skips Bean
     * Validation, a third of a bulk's CPU (measured with JFR on bench/ceiling.sh's bulk). Stricter than the
     * annotations, never looser ({@code BulkItemTest}): an item it doubts goes through Bean Validation, which also
     * names what is wrong.
     */
    boolean plainlyValid() {
        return from != null && from > 0 && to != null && to > 0 && !from.equals(to)
                && amount != null && amount.signum() > 0 && amount.scale() >= 0 && amount.scale() <= 2
                && amount.compareTo(Money.LIMIT) < 0
                && (idempotencyKey == null || plainKey(idempotencyKey));
    }

    private static boolean plainKey(String key) {
        if (key.isEmpty() || key.length() > 255) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < 0x21 || key.charAt(i) > 0x7E) {
                return false;
            }
        }
        return true;
    }

    TransferCommand toCommand(Caller caller) {
        return new TransferCommand(caller, from, to, amount, idempotencyKey);
    }
}
