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
     * them, so every transfer waits only for a lower id while holding a lower one, and no cycle of waits can form. The
     * sender's row is read (and locked) only for its owner: another's account is never locked by the caller, and is
     * not found before anything is said of the receiver, as if it did not exist.
     */
    public Parties lockInIdOrder(TransferCommand command) {
        return parties(command, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Reads both accounts with one query, without locking them. */
    public Parties read(TransferCommand command) {
        return parties(command, LockModeType.NONE);
    }

    /** Reads the sender's account, if it is the caller's, and holds a row lock on it until the transaction ends. */
    public Account lockSender(TransferCommand command) {
        return found(command.from(), entityManager
                .createQuery("from Account where id = :from and owner = :caller", Account.class)
                .setParameter("from", command.from())
                .setParameter("caller", command.caller().subject())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(null));
    }

    /** Reads the receiver's account and holds a row lock on it until the transaction ends. */
    public Account lockReceiver(TransferCommand command) {
        return found(command.to(), entityManager.find(Account.class, command.to(), LockModeType.PESSIMISTIC_WRITE));
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
                .createQuery("from Account where id = :to or (id = :from and owner = :caller) order by id", Account.class)
                .setParameter("to", command.to())
                .setParameter("from", command.from())
                .setParameter("caller", command.caller().subject())
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
