package org.acme.bank.hold;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.acme.bank.Caller;
import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.ledger.TransferIds;
import org.acme.bank.transfer.BlockingTransferStrategy;
import org.acme.bank.transfer.IdempotencyKeyBoundException;
import org.acme.bank.transfer.IdempotencyKeyInProgressException;
import org.acme.bank.transfer.IdempotencyKeyReusedException;
import org.acme.bank.transfer.Leg;
import org.acme.bank.transfer.TransferFailures;
import org.acme.bank.transfer.TransferService;
import org.acme.bank.ForbiddenActionException;

/**
 * Places, posts and voids holds. Placing runs as the chosen strategy runs a transfer (its locks, its retries); posting
 * and voiding lock both accounts in id order, then the hold, and resolve it once: a racing post or void finds it
 * resolved. Accounts before holds, here, in the clean-up and in transfers: no cycle of waits. Each operation claims
 * its idempotency key first, as a transfer does.
 */
@ApplicationScoped
public class HoldService {

    /** A hold placed or voided, or one a repeated key stands for. */
    public record Answer(Hold hold, boolean replayed) {
    }

    /** The transfer a posting made, or the one a repeated key stands for. */
    public record Posting(Transfer transfer, boolean replayed) {
    }

    private final TransferService transfers;
    private final TransferIds transferIds;
    private final EntityManager entityManager;

    HoldService(TransferService transfers, TransferIds transferIds, EntityManager entityManager) {
        this.transfers = transfers;
        this.transferIds = transferIds;
        this.entityManager = entityManager;
    }

    /** Reserves the amount on the sender's account, for its owner alone, out of what is available. */
    public Answer place(String strategyName, HoldCommand command) {
        BlockingTransferStrategy strategy = transfers.blockingStrategy(strategyName);
        try {
            return new Answer(strategy.attempt((attempt, access) -> inTransaction(() -> {
                long id = Hold.nextId();
                claim(command.caller(), command.idempotencyKey(), HoldKey.Operation.PLACE, id);
                Map<Long, Account> accounts = access.open(command.asTransfer());
                Instant at = now();
                Account.readLapsed(accounts.values(), at);
                Account sender = accounts.get(command.from());
                if (sender == null) {
                    throw new AccountNotFoundException(command.from());
                }
                if (!accounts.containsKey(command.to())) {
                    throw new AccountNotFoundException(command.to());
                }
                sender.reserve(command.caller(), command.amount());
                Hold hold = Hold.placed(id, command, strategy.name(), at);
                hold.persist();
                entityManager.flush();
                return hold;
            })), false);
        } catch (IdempotencyKeyBoundException bound) {
            return new Answer(inTransaction(() -> {
                Hold hold = boundHold(command.caller(), command.idempotencyKey(), HoldKey.Operation.PLACE);
                if (hold.fromAccountId != command.from() || hold.toAccountId != command.to()
                        || hold.amount.compareTo(command.amount()) != 0) {
                    throw IdempotencyKeyReusedException.onHold("place", hold.id);
                }
                return hold;
            }), true);
        }
    }

    /**
     * Transfers {@code amount} of what the hold reserved (all of it when null) and releases the rest; the sender's
     * owner or the receiver's may post it. The transfer is a ledger entry like any other, under the strategy that
     * placed the hold.
     */
    public Posting post(Caller caller, long holdId, BigDecimal amount, String idempotencyKey) {
        try {
            return new Posting(inTransaction(() -> {
                claim(caller, idempotencyKey, HoldKey.Operation.POST, holdId);
                Hold hold = lockPending(caller, holdId);
                BigDecimal posted = amount == null ? hold.amount : amount;
                if (posted.compareTo(hold.amount) > 0) {
                    throw new HoldAmountExceededException(holdId, hold.amount, posted);
                }
                Map<Long, Account> parties = parties(hold);
                Account sender = parties.get(hold.fromAccountId);
                Account receiver = parties.get(hold.toAccountId);
                Instant at = Account.entryTime(parties.values());
                Account.readLapsed(parties.values(), at);
                sender.release(hold.amount);
                sender.settle(posted);
                receiver.credit(posted);
                Transfer transfer = Transfer.written(transferIds.draw(1).get(0),
                        new Leg(hold.fromAccountId, hold.toAccountId, posted), hold.strategy, 1, at, null);
                transfer.entered(sender, receiver, at);
                Transfer.insertAll(List.of(transfer));
                hold.posted(at, posted, transfer.id);
                entityManager.flush();
                return transfer;
            }), false);
        } catch (IdempotencyKeyBoundException bound) {
            return new Posting(inTransaction(() -> {
                Hold hold = boundHold(caller, idempotencyKey, HoldKey.Operation.POST);
                BigDecimal asked = amount == null ? hold.amount : amount;
                if (hold.id != holdId || hold.postedAmount.compareTo(asked) != 0) {
                    throw IdempotencyKeyReusedException.onHold("post", hold.id);
                }
                return Transfer.<Transfer>findById(hold.transferId);
            }), true);
        }
    }

    /** Releases what the hold reserved; its sender's owner alone may. */
    public Answer voidHold(Caller caller, long holdId, String idempotencyKey) {
        try {
            return new Answer(inTransaction(() -> {
                claim(caller, idempotencyKey, HoldKey.Operation.VOID, holdId);
                Hold hold = lockPending(caller, holdId);
                Account sender = parties(hold).get(hold.fromAccountId);
                if (!sender.isDebitableBy(caller)) {
                    throw new ForbiddenActionException(caller.subject(), "Voiding a hold is for its sender's owner");
                }
                sender.release(hold.amount);
                hold.voided(now());
                entityManager.flush();
                return hold;
            }), false);
        } catch (IdempotencyKeyBoundException bound) {
            return new Answer(inTransaction(() -> {
                Hold hold = boundHold(caller, idempotencyKey, HoldKey.Operation.VOID);
                if (hold.id != holdId) {
                    throw IdempotencyKeyReusedException.onHold("void", hold.id);
                }
                return hold;
            }), true);
        }
    }

    /** The hold, for the owners of its two accounts; to anyone else it does not exist. */
    @Transactional
    public Hold get(Caller caller, long holdId) {
        return entityManager.createQuery("""
                        select h from Hold h where h.id = :id and exists (select 1 from Account a
                         where a.owner = :subject and a.id in (h.fromAccountId, h.toAccountId))
                        """, Hold.class)
                .setParameter("id", holdId)
                .setParameter("subject", caller.subject())
                .getResultStream().findFirst()
                .orElseThrow(() -> new HoldNotFoundException(holdId));
    }

    /**
     * The hold, still pending, with both its accounts and then itself locked, for a party to it: the owner of its
     * sender or of its receiver. Whoever waited on a racing post or void reads the hold as that one left it.
     */
    private Hold lockPending(Caller caller, long holdId) {
        Hold hold = Hold.findById(holdId);
        if (hold == null) {
            throw new HoldNotFoundException(holdId);
        }
        Map<Long, Account> parties = lockParties(hold);
        if (parties.values().stream().noneMatch(account -> account.isDebitableBy(caller))) {
            throw new HoldNotFoundException(holdId);
        }
        entityManager.refresh(hold, LockModeType.PESSIMISTIC_WRITE);
        hold.requirePending(now());
        return hold;
    }

    private Map<Long, Account> lockParties(Hold hold) {
        Map<Long, Account> parties = new HashMap<>();
        entityManager.createQuery("from Account where id in (:from, :to) order by id", Account.class)
                .setParameter("from", hold.fromAccountId)
                .setParameter("to", hold.toAccountId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .forEach(account -> parties.put(account.id, account));
        return parties;
    }

    /** The accounts {@link #lockPending} locked: the session has them. */
    private Map<Long, Account> parties(Hold hold) {
        Map<Long, Account> parties = new HashMap<>();
        parties.put(hold.fromAccountId, entityManager.find(Account.class, hold.fromAccountId));
        parties.put(hold.toAccountId, entityManager.find(Account.class, hold.toAccountId));
        return parties;
    }

    private static void claim(Caller caller, String key, HoldKey.Operation operation, long holdId) {
        if (key == null) {
            return;
        }
        boolean claimed;
        try {
            claimed = HoldKey.claim(caller.subject(), key, operation, holdId);
        } catch (RuntimeException failure) {
            if (TransferFailures.isLockTimeout(failure)) {
                throw new IdempotencyKeyInProgressException(key);
            }
            throw failure;
        }
        if (!claimed) {
            throw new IdempotencyKeyBoundException(key);
        }
    }

    /** The hold the subject's key stands for, if the key was used for this operation. */
    private static Hold boundHold(Caller caller, String key, HoldKey.Operation operation) {
        HoldKey.Bound bound = HoldKey.find(caller.subject(), key)
                .orElseThrow(() -> new IdempotencyKeyInProgressException(key));
        if (bound.operation() != operation) {
            throw IdempotencyKeyReusedException.onHold(bound.operation().label(), bound.holdId());
        }
        return Hold.findById(bound.holdId());
    }

    /** Runs the work in a transaction of its own; a failure comes out as the bank exception it stands for. */
    private static <T> T inTransaction(Callable<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work);
        } catch (RuntimeException failure) {
            throw TransferFailures.asBankException(failure);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
