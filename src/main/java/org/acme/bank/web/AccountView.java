package org.acme.bank.web;

import java.math.BigDecimal;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.acme.bank.account.Account;

@RegisterForReflection
public record AccountView(long id, String owner, BigDecimal balance, long version) {

    static AccountView of(Account account) {
        return new AccountView(account.id, account.owner, account.balance, account.version);
    }
}
