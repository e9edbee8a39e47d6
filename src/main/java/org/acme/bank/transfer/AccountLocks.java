package org.acme.bank.transfer;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.config.BankConfig;

/**
 * How the strategies get hold of a transfer's two accounts inside its transaction: locked in id order by one query,
 * read without locks, or (naive) locked one at a time in the order the client named them.
 */
@ApplicationScoped
public class AccountLocks {

    /** The two accounts of a transfer, as a strategy read (and perhaps locked) them. */
    public record Parties(Account sender, Account receiver) {
    }

    private final EntityManager entityManager;
    private final BankConfig.TransferSettings settings;

    AccountLocks(EntityManager entityManager, BankConfig config) {
        this.entityManager = entityManager;
        this.settings = config.transfer();
    }

    /**
     * Locks both accounts with one query, lowest id first: PostgreSQL locks the rows in the order the query returns
     * them, so every transfer waits only for a lower id while holding a lower one, and no cycle of waits can form.
     */
    public Parties lockInIdOrder(TransferCommand command) {
        return parties(command, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Reads both accounts with one query, without locking them. */
    public Parties read(TransferCommand command) {
        return parties(command, LockModeType.NONE);
    }

    /** Reads one account and holds a row lock on it until the transaction ends. */
    public Account lock(long id) {
        return found(id, entityManager.find(Account.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Widens the race window when {@code bank.transfer.pause-between-locks} asks for it (demonstrations only). */
    public void pauseBetweenLocks() {
        if (!Pause.sleep(settings.pauseBetweenLocks())) {
            // Still inside the transaction, before its COMMIT: it rolls back, and the transfer did not happen.
            throw new IllegalStateException("Interrupted between two locks");
        }
    }

    private Parties parties(TransferCommand command, LockModeType lock) {
        List<Account> accounts = entityManager
                .createQuery("from Account where id in (:lower, :higher) order by id", Account.class)
                .setParameter("lower", command.lowerAccountId())
                .setParameter("higher", command.higherAccountId())
                .setLockMode(lock)
                .getResultList();
        Account sender = null;
        Account receiver = null;
        for (Account account : accounts) {
            if (account.id == command.from()) {
                sender = account;
            } else {
                receiver = account;
            }
        }
        return new Parties(found(command.from(), sender), found(command.to(), receiver));
    }

    private static Account found(long id, Account account) {
        if (account == null) {
            throw new AccountNotFoundException(id);
        }
        return account;
    }
}
