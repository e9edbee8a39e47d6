package org.acme.bank.account;

import java.math.BigDecimal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.acme.bank.Money;

/** An account and its balance rules; every balance change goes through {@link #debit} and {@link #credit}. */
@Entity
public class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 100)
    public String owner;

    @Column(nullable = false, precision = 19, scale = 2)
    public BigDecimal balance;

    /** What the account was opened with; the audit recomputes the balance from it and the ledger. */
    @Column(name = "opening_balance", nullable = false, precision = 19, scale = 2, updatable = false)
    public BigDecimal openingBalance;

    @Version
    public long version;

    protected Account() {
    }

    public static Account open(String owner, BigDecimal openingBalance) {
        Account account = new Account();
        account.owner = owner;
        account.balance = Money.of(openingBalance);
        account.openingBalance = account.balance;
        return account;
    }

    public void debit(BigDecimal amount) {
        if (balance.compareTo(amount) < 0) {
            throw new InsufficientFundsException(id, balance, amount);
        }
        balance = balance.subtract(amount);
    }

    public void credit(BigDecimal amount) {
        BigDecimal credited = balance.add(amount);
        if (credited.compareTo(Money.LIMIT) >= 0) {
            throw new BalanceLimitExceededException(id);
        }
        balance = credited;
    }
}
