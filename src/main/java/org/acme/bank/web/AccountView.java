package org.acme.bank.web;

import java.math.BigDecimal;
import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.account.Account;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
public record AccountView(
        @Schema(example = "1") long id,
        @Schema(example = "Alice") String owner,
        @Schema(example = "975.00") BigDecimal balance,
        @Schema(description = "What it can spend: the balance less its pending holds that have not expired",
                example = "950.00") BigDecimal available,
        @Schema(description = "Changes with every transfer and hold (optimistic locking)", example = "3") long version,
        @Schema(example = "2026-11-22T08:00:00.123456Z") Instant createdAt) {

    static AccountView of(Account account) {
        return new AccountView(account.id, account.owner, account.balance, account.available(), account.version,
                account.createdAt);
    }
}
