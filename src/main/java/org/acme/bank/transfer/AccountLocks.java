package org.acme.bank.transfer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.acme.bank.Caller;
import org.acme.bank.account.Account;
import org.acme.bank.config.BankConfig;

/**
 * How the strategies get hold of a movement's accounts inside its transaction: locked in id order by one query, read
 * without locks, or (naive) locked one at a time in the order the client named them. Each answers the accounts it
 * found by id; {@link Moves} says which is missing.
 */
@ApplicationScoped
public class AccountLocks {

    private final EntityManager entityManager;
    private final BankConfig.TransferSettings settings;

    AccountLocks(EntityManager entityManager, BankConfig config) {
        this.entityManager = entityManager;
        this.settings = config.transfer();
    }

    /**
     * Locks every account of the movement with one query, lowest id first: PostgreSQL locks the rows in the order the
     * query returns them, so every transaction waits only for a lower id while holding a lower one, and no cycle of
     * waits can form. An account the movement only debits is read (and locked) only for its owner: another's account
     * is never locked by the caller.
     */
    public Map<Long, Account> lockInIdOrder(Movement movement) {
        return accounts(movement, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Reads every account of the movement with one query, without locking them. */
    public Map<Long, Account> read(Movement movement) {
        return accounts(movement, LockModeType.NONE);
    }

    /**
     * Locks each leg's sender, if it is the caller's, then its receiver, leg after leg, one row lock at a time; a row
     * already locked by an earlier leg is not asked for again.
     */
    public Map<Long, Account> lockLegByLeg(Movement movement) {
        Map<Long, Account> accounts = new HashMap<>();
        for (Leg leg : movement.legs()) {
            if (!accounts.containsKey(leg.from())) {
                lockSender(movement.caller(), leg.from()).ifPresent(sender -> accounts.put(sender.id, sender));
                pauseBetweenLocks();
            }
            if (!accounts.containsKey(leg.to())) {
                Account receiver = entityManager.find(Account.class, leg.to(), LockModeType.PESSIMISTIC_WRITE);
                if (receiver != null) {
                    accounts.put(receiver.id, receiver);
                }
            }
        }
        return accounts;
    }

    /** Widens the race window when {@code bank.transfer.pause-between-locks} asks for it (demonstrations only). */
    public void pauseBetweenLocks() {
        if (!Pause.sleep(settings.pauseBetweenLocks())) {
            // Still inside the transaction, before its COMMIT: it rolls back, and the transfer did not happen.
            throw new IllegalStateException("Interrupted between two locks");
        }
    }

    private Optional<Account> lockSender(Caller caller, long id) {
        return entityManager.createQuery("from Account where id = :from and owner = :caller", Account.class)
                .setParameter("from", id)
                .setParameter("caller", caller.subject())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    private Map<Long, Account> accounts(Movement movement, LockModeType lock) {
        if (movement instanceof TransferCommand transfer) {
            return byId(entityManager
                    .createQuery("from Account where id = :to or (id = :from and owner = :caller) order by id",
                            Account.class)
                    .setParameter("to", transfer.to())
                    .setParameter("from", transfer.from())
                    .setParameter("caller", transfer.caller().subject())
                    .setLockMode(lock)
                    .getResultList());
        }
        // Lists as parameters: Hibernate translates such a query again at each run, which a transfer, the hot path,
        // is spared above (measured: about 0.1 ms of CPU per transfer).
        Set<Long> credited = new TreeSet<>();
        Set<Long> debited = new TreeSet<>();
        for (Leg leg : movement.legs()) {
            credited.add(leg.to());
            debited.add(leg.from());
        }
        return byId(entityManager
                .createQuery("from Account where id in :credited or (id in :debited and owner = :caller) order by id",
                        Account.class)
                .setParameter("credited", credited)
                .setParameter("debited", debited)
                .setParameter("caller", movement.caller().subject())
                .setLockMode(lock)
                .getResultList());
    }

    private static Map<Long, Account> byId(List<Account> found) {
        Map<Long, Account> accounts = new HashMap<>();
        found.forEach(account -> accounts.put(account.id, account));
        return accounts;
    }
}
