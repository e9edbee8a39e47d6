package org.acme.bank.hold;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.acme.bank.Caller;
import org.acme.bank.SqlStates;
import org.acme.bank.account.Account;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.ledger.TransferIds;
import org.acme.bank.transfer.BlockingTransferStrategy;
import org.acme.bank.transfer.ConfirmedCommit;
import org.acme.bank.transfer.IdempotencyKeyBoundException;
import org.acme.bank.transfer.IdempotencyKeyInProgressException;
import org.acme.bank.transfer.IdempotencyKeyReusedException;
import org.acme.bank.transfer.Leg;
import org.acme.bank.transfer.LostCommitLookup;
import org.acme.bank.transfer.TransferFailures;
import org.acme.bank.transfer.TransferOutcomeUnknownException;
import org.acme.bank.transfer.TransferService;
import org.acme.bank.transfer.TransferStrategy;
import org.acme.bank.transfer.UnknownStrategyException;
import org.acme.bank.transfer.strategy.BatchedStrategy;
import org.acme.bank.transfer.strategy.PessimisticStrategy;
import org.acme.bank.ForbiddenActionException;

/**
 * Places, posts and voids holds. Placing runs as the chosen strategy runs a transfer (its locks, its retries; batched:
 * in a batch, with whatever else its writer takes, {@code BatchWriter}); posting
 * and voiding lock both accounts in id order, then the hold, and resolve it once: a racing post or void finds it
 * resolved. Accounts before holds, here, in the clean-up and in transfers: no cycle of waits. Each operation claims
 * its idempotency key first, and commits as a transfer does ({@link ConfirmedCommit}): a COMMIT without answer is
 * settled by reading what it wrote ({@link LostCommitLookup}), and a key's repeat is answered once the synchronous
 * standby has what the key stands for.
 */
@ApplicationScoped
public class HoldService {

    /**
     * A hold placed, voided or read, or one a repeated key stands for, with its status at its sender's time (which an
     * instance whose clock runs ahead may have moved past this instance's clock).
     */
    public record Answer(Hold hold, HoldStatus status, boolean replayed) {
    }

    /** The transfer a posting made, or the one a repeated key stands for. */
    public record Posting(Transfer transfer, boolean replayed) {
    }

    /**
     * What an operation wrote, for the case its COMMIT gets no answer: the accounts it locked, the ledger row it wrote
     * if any, the hold it placed if any (named in an unknown outcome: a client without a key can read it), and how a
     * later transaction sees that it committed.
     */
    private record Written(Collection<Long> accountIds, Long transferId, String named, BooleanSupplier visible) {
    }

    private final TransferService transfers;
    private final BatchedStrategy batched;
    private final TransferIds transferIds;
    private final EntityManager entityManager;
    private final ConfirmedCommit confirmedCommit;
    private final LostCommitLookup lostCommits;
    /** Quarkus' worker pool: placements by a blocking strategy, and reads of what a key stands for, block a thread. */
    private final Executor workers = Infrastructure.getDefaultWorkerPool();

    HoldService(TransferService transfers, BatchedStrategy batched, TransferIds transferIds,
            EntityManager entityManager, ConfirmedCommit confirmedCommit, LostCommitLookup lostCommits) {
        this.transfers = transfers;
        this.batched = batched;
        this.transferIds = transferIds;
        this.entityManager = entityManager;
        this.confirmedCommit = confirmedCommit;
        this.lostCommits = lostCommits;
    }

    /**
     * Reserves the amount on the sender's account, for its owner alone, out of what is available, as the strategy
     * places a transfer: in a worker thread for those that block one; {@code batched} queues it for the writer, which
     * places it in a batch with whatever else it takes, and no thread waits meanwhile.
     */
    public CompletionStage<Answer> place(String strategyName, HoldCommand command) {
        TransferStrategy strategy = transfers.enabledStrategies().get(strategyName);
        if (strategy == null) {
            throw new UnknownStrategyException(strategyName);
        }
        if (strategy instanceof BlockingTransferStrategy blocking) {
            return CompletableFuture.supplyAsync(() -> place(blocking, command), workers);
        }
        if (!strategy.name().equals(BatchedStrategy.NAME)) {
            throw new UnknownStrategyException(strategyName);
        }
        return placeQueued(command, TransferService.MAX_KEY_CLAIMS);
    }

    /**
     * The batched writer's answer; when the key turns out to be bound already, the hold it stands for. A key can be
     * bound and then free again (a twin of the same batch claimed it and was refused, and released it): the request
     * then claims it again, at most {@code claimsLeft} times, as a batched transfer does.
     */
    private CompletionStage<Answer> placeQueued(HoldCommand command, int claimsLeft) {
        return batched.place(command)
                .thenApply(hold -> new Answer(hold, HoldStatus.PENDING, false))
                .exceptionallyCompose(failure -> {
                    if (!(TransferFailures.unwrapped(failure) instanceof IdempotencyKeyBoundException)) {
                        return CompletableFuture.failedStage(failure);
                    }
                    return CompletableFuture.supplyAsync(() -> replayPlacement(command, BatchedStrategy.NAME), workers)
                            .thenCompose(replayed -> replayed.<CompletionStage<Answer>>map(
                                    CompletableFuture::completedStage).orElseGet(() -> claimsLeft > 1
                                            ? placeQueued(command, claimsLeft - 1)
                                            : CompletableFuture.failedStage(
                                                    new IdempotencyKeyInProgressException(command.idempotencyKey()))));
                });
    }

    private Answer place(BlockingTransferStrategy strategy, HoldCommand command) {
        try {
            Hold placed = strategy.attempt((attempt, access) -> committing(() -> {
                long id = Hold.nextId();
                claim(command.caller(), command.idempotencyKey(), HoldKey.Operation.PLACE, id);
                Map<Long, Account> accounts = access.open(command.asTransfer());
                // The accounts' time: a hold expiring before it was counted released by whoever stamped it.
                Instant at = Account.entryTime(accounts.values());
                Account.readLapsed(accounts.values(), at);
                Hold hold = Hold.place(id, command, strategy.name(), accounts, at);
                hold.persist();
                return hold;
            }, HoldService::placed));
            return new Answer(placed, HoldStatus.PENDING, false);
        } catch (IdempotencyKeyBoundException bound) {
            return replayPlacement(command, strategy.name())
                    .orElseThrow(() -> new IdempotencyKeyInProgressException(command.idempotencyKey()));
        }
    }

    /**
     * The hold the command's key stands for, if it was placed by the same request, once the standby has it; empty if
     * the key is free again.
     */
    private Optional<Answer> replayPlacement(HoldCommand command, String strategyName) {
        Optional<Answer> earlier = read(() -> HoldKey.find(command.caller().subject(), command.idempotencyKey())
                .map(bound -> {
                    Hold hold = Hold.findById(bound.holdId());
                    if (bound.operation() != HoldKey.Operation.PLACE || !hold.isPlacedBy(command, strategyName)) {
                        throw IdempotencyKeyReusedException.onHold(bound.operation().label(), hold.id);
                    }
                    return seen(hold, true);
                }));
        earlier.ifPresent(answer -> confirmReplicated(placed(answer.hold())));
        return earlier;
    }

    /**
     * Transfers {@code amount} of what the hold reserved (all of it when null) and releases the rest; the sender's
     * owner or the receiver's may post it. The transfer is a ledger entry like any other, made as {@code pessimistic}
     * makes one (both accounts locked in id order), whatever strategy placed the hold.
     */
    public Posting post(Caller caller, long holdId, BigDecimal amount, String idempotencyKey) {
        try {
            return new Posting(committing(() -> {
                claim(caller, idempotencyKey, HoldKey.Operation.POST, holdId);
                Pending pending = lockPending(caller, holdId, true);
                Hold hold = pending.hold();
                BigDecimal posted = amount == null ? hold.amount : amount;
                if (posted.compareTo(hold.amount) > 0) {
                    throw new HoldAmountExceededException(holdId, hold.amount, posted);
                }
                Account sender = pending.sender();
                Account receiver = pending.receiver();
                Instant at = pending.at();
                Account.readLapsed(List.of(sender, receiver), at);
                sender.release(hold.amount);
                sender.settle(posted);
                receiver.credit(posted);
                Transfer transfer = Transfer.written(transferIds.draw(1).get(0),
                        new Leg(hold.fromAccountId, hold.toAccountId, posted), PessimisticStrategy.NAME, 1, at, null);
                transfer.entered(sender, receiver, at);
                Transfer.insertAll(List.of(transfer));
                hold.posted(at, posted, transfer.id);
                return transfer;
            }, HoldService::posted), false);
        } catch (IdempotencyKeyBoundException bound) {
            return new Posting(replay(() -> {
                Hold hold = boundHold(caller, idempotencyKey, HoldKey.Operation.POST);
                BigDecimal asked = amount == null ? hold.amount : amount;
                if (hold.id != holdId || hold.postedAmount.compareTo(asked) != 0) {
                    throw IdempotencyKeyReusedException.onHold("post", hold.id);
                }
                return Transfer.<Transfer>findById(hold.transferId);
            }, HoldService::posted), true);
        }
    }

    /** Releases what the hold reserved; its sender's owner alone may. */
    public Answer voidHold(Caller caller, long holdId, String idempotencyKey) {
        try {
            Hold voided = committing(() -> {
                claim(caller, idempotencyKey, HoldKey.Operation.VOID, holdId);
                Pending pending = lockPending(caller, holdId, false);
                Hold hold = pending.hold();
                pending.sender().release(hold.amount, pending.at());
                hold.voided(pending.at());
                return hold;
            }, HoldService::voided);
            return new Answer(voided, HoldStatus.VOIDED, false);
        } catch (IdempotencyKeyBoundException bound) {
            return replay(() -> {
                Hold hold = boundHold(caller, idempotencyKey, HoldKey.Operation.VOID);
                if (hold.id != holdId) {
                    throw IdempotencyKeyReusedException.onHold("void", hold.id);
                }
                return seen(hold, true);
            }, earlier -> voided(earlier.hold()));
        }
    }

    /** The hold, for the owners of its two accounts; to anyone else it does not exist. */
    @Transactional
    public Answer get(Caller caller, long holdId) {
        return seen(visible(caller, holdId), false);
    }

    /** The hold with its status at its sender's time, read in the current transaction. */
    private static Answer seen(Hold hold, boolean replayed) {
        Instant senderTime = Account.<Account>findById(hold.fromAccountId).timeOf();
        return new Answer(hold, hold.statusAt(senderTime), replayed);
    }

    private Hold visible(Caller caller, long holdId) {
        return entityManager.createQuery("""
                        select h from Hold h where h.id = :id and exists (select 1 from Account a
                         where a.owner = :subject and a.id in (h.fromAccountId, h.toAccountId))
                        """, Hold.class)
                .setParameter("id", holdId)
                .setParameter("subject", caller.subject())
                .getResultStream().findFirst()
                .orElseThrow(() -> new HoldNotFoundException(holdId));
    }

    /** A pending hold and its two accounts, locked, and the instant at which its post or void is decided and made. */
    private record Pending(Hold hold, Account sender, Account receiver, Instant at) {
    }

    /**
     * The hold, still pending, with both its accounts and then itself locked, for a party to it: the owner of its
     * sender or of its receiver (checked first, so that nobody else makes anyone wait); for a void, the sender's owner
     * alone, refused before any lock and before the hold's state is read. Whoever waited on a racing
     * post or void reads the hold as that one left it. Whether it is still pending is decided at the accounts' time
     * (which may be ahead of this instance's clock: whoever stamped it already counted a hold expiring before it as
     * released): a posting's, at the instant its entry is made, no earlier than either account's time, at which it
     * also reads which other holds have lapsed; a void's, at the sender's time alone, which the receiver's has no say
     * in.
     */
    private Pending lockPending(Caller caller, long holdId, boolean posting) {
        Hold hold = visible(caller, holdId);
        if (!posting && !ownsSender(caller, hold)) {
            // Before any lock or the hold's state: the receiver may never void, and is told so whatever became of it.
            throw new ForbiddenActionException(caller.subject(), "Voiding a hold is for its sender's owner");
        }
        Map<Long, Account> parties = lockParties(hold);
        entityManager.refresh(hold, LockModeType.PESSIMISTIC_WRITE);
        Account sender = parties.get(hold.fromAccountId);
        Instant at = posting ? Account.entryTime(parties.values()) : sender.timeOf();
        hold.requirePending(at);
        return new Pending(hold, sender, parties.get(hold.toAccountId), at);
    }

    /** Read without a lock, and without the account entering the session: an account's owner never changes. */
    private boolean ownsSender(Caller caller, Hold hold) {
        return entityManager.createQuery("select count(a) from Account a where a.id = :id and a.owner = :subject",
                        Long.class)
                .setParameter("id", hold.fromAccountId)
                .setParameter("subject", caller.subject())
                .getSingleResult() > 0;
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

    private static Written placed(Hold hold) {
        return new Written(hold.accounts(), null, "hold " + hold.id, () -> Hold.findById(hold.id) != null);
    }

    private static Written posted(Transfer transfer) {
        return new Written(List.of(transfer.fromAccountId, transfer.toAccountId), transfer.id, null,
                () -> Transfer.findById(transfer.id) != null);
    }

    private static Written voided(Hold hold) {
        // This void's own instant: another void that won meanwhile is not this one.
        return new Written(hold.accounts(), null, null, () -> {
            Hold found = Hold.findById(hold.id);
            return found.status == HoldStatus.VOIDED && found.resolvedAt.equals(hold.resolvedAt);
        });
    }

    /**
     * Runs the work in a transaction of its own and commits it as a transfer commits: a COMMIT the synchronous standby
     * did not confirm is {@link TransferOutcomeUnknownException}, and one that got no answer is settled by looking for
     * what the work {@code wrote}, so that "nothing changed" is said only when nothing did. Any other failure comes out
     * as the bank exception it stands for.
     */
    private <T> T committing(Callable<T> work, Function<T, Written> wrote) {
        AtomicReference<T> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                T done = work.call();
                // A lost race (an optimistic version check) fails here, before the COMMIT whose failure is looked up.
                entityManager.flush();
                awaitingCommit.set(done);
                confirmedCommit.commit(wrote.apply(done).transferId());
                return done;
            });
        } catch (TransferOutcomeUnknownException unconfirmed) {
            throw naming(unconfirmed, wrote.apply(awaitingCommit.get()));
        } catch (RuntimeException failure) {
            T unsettled = awaitingCommit.get();
            if (unsettled != null) {
                Written written = wrote.apply(unsettled);
                try {
                    if (lostCommits.committed(written.accountIds(), written.visible(), failure,
                            written.transferId())) {
                        return unsettled;
                    }
                } catch (TransferOutcomeUnknownException unknown) {
                    throw naming(unknown, written);
                }
            }
            throw TransferFailures.asBankException(failure);
        }
    }

    /** The unknown outcome, naming the hold a placement would have made. */
    private static TransferOutcomeUnknownException naming(TransferOutcomeUnknownException unknown, Written written) {
        return written.named() == null ? unknown : unknown.concerning(written.named());
    }

    /**
     * What a repeated key stands for, read in a transaction of its own, and answered only once the synchronous standby
     * has it: the first request may have been told its outcome was unknown because the primary alone committed it.
     */
    private <T> T replay(Callable<T> lookUp, Function<T, Written> wrote) {
        T earlier = read(lookUp);
        confirmReplicated(wrote.apply(earlier));
        return earlier;
    }

    /** What a repeated key stands for, read in a transaction of its own. */
    private static <T> T read(Callable<T> lookUp) {
        try {
            return QuarkusTransaction.requiringNew().call(lookUp);
        } catch (RuntimeException unread) {
            if (SqlStates.isDatabaseUnavailable(unread)) {
                // The key stands for something committed, perhaps by this request: "nothing changed" would be false.
                throw new TransferOutcomeUnknownException(null, "What the hold's idempotency key stands for could "
                        + "not be read", unread);
            }
            throw TransferFailures.asBankException(unread);
        }
    }

    /** Returns once the synchronous standby has what was written. */
    private void confirmReplicated(Written written) {
        try {
            confirmedCommit.confirmReplicated(written.transferId(), written.accountIds());
        } catch (TransferOutcomeUnknownException unconfirmed) {
            throw unconfirmed;
        } catch (RuntimeException unconfirmed) {
            throw new TransferOutcomeUnknownException(written.transferId(), "The standby could not be asked "
                    + "whether it has what the hold's idempotency key stands for", unconfirmed);
        }
    }
}
