package org.acme.bank.account;

import java.math.BigDecimal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.acme.bank.Caller;
import org.acme.bank.Money;

/**
 * An account, its balance rules and who may touch it; every balance change goes through {@link #debit} and
 * {@link #credit}, and only the owner debits.
 */
@Entity
public class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The holder's subject: the {@code sub} of their tokens. */
    @Column(nullable = false, length = Caller.MAX_SUBJECT_LENGTH)
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

    /**
     * A new account for {@code owner} (the caller when null). A customer opens accounts for themselves, with nothing in
     * them; a teller opens them for anyone, with an opening balance: the only way money enters the bank.
     */
    public static Account open(Caller by, String owner, BigDecimal openingBalance) {
        String holder = owner == null ? by.subject() : owner;
        if (!holder.equals(by.subject())) {
            by.require(Caller.Role.TELLER, "Opening an account for someone else");
        }
        if (openingBalance.signum() != 0) {
            by.require(Caller.Role.TELLER, "Opening an account with money in it");
        }
        return open(holder, openingBalance);
    }

    static Account open(String owner, BigDecimal openingBalance) {
        Account account = new Account();
        account.owner = owner;
        account.balance = Money.of(openingBalance);
        account.openingBalance = account.balance;
        return account;
    }

    /** Whether the caller may take money out: its owner alone, whatever the roles. */
    public boolean isDebitableBy(Caller caller) {
        return owner.equals(caller.subject());
    }

    /** Whether the caller may read the account: its owner, a teller or an auditor. */
    public boolean isVisibleTo(Caller caller) {
        return isDebitableBy(caller) || caller.readsEverything();
    }

    /**
     * Takes the money out, for the owner alone: no role debits another's account. To anyone else the account does not
     * exist, the same answer as for an id that has none, so that neither existence nor balance leaks.
     */
    public void debit(Caller by, BigDecimal amount) {
        if (!isDebitableBy(by)) {
            throw new AccountNotFoundException(id);
        }
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
