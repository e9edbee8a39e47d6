package org.acme.bank.web;

import java.math.BigDecimal;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.account.Account;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
public record AccountView(
        @Schema(example = "1") long id,
        @Schema(example = "Alice") String owner,
        @Schema(example = "975.00") BigDecimal balance,
        @Schema(description = "Changes with every transfer (optimistic locking)", example = "3") long version) {

    static AccountView of(Account account) {
        return new AccountView(account.id, account.owner, account.balance, account.version);
    }
}
