package org.acme.bank.transfer.strategy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import org.acme.bank.BankException;
import org.acme.bank.Caller;
import org.acme.bank.account.Account;
import org.acme.bank.account.BalanceLimitExceededException;
import org.acme.bank.account.InsufficientFundsException;
import org.acme.bank.hold.Hold;
import org.acme.bank.hold.HoldCommand;
import org.acme.bank.hold.HoldKey;
import org.acme.bank.ledger.IdempotencyKey;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.ledger.TransferIds;
import org.acme.bank.transfer.ConfirmedCommit;
import org.acme.bank.transfer.IdempotencyKeyBoundException;
import org.acme.bank.transfer.IdempotencyKeyInProgressException;
import org.acme.bank.transfer.Leg;
import org.acme.bank.transfer.LegRefusedException;
import org.acme.bank.transfer.LostCommitLookup;
import org.acme.bank.transfer.Movement;
import org.acme.bank.transfer.Moves;
import org.acme.bank.transfer.TransferFailures;
import org.acme.bank.transfer.TransferOutcomeUnknownException;

/**
 * Applies a batch of requests (transfers; transactions, each a member with all its legs; hold placements) in one
 * transaction, in a fixed number of round trips whatever its size: ids for every leg and hold from the sequences; the
 * members' idempotency keys claimed in key order, transfers' then holds'; every account the batch touches locked in
 * id order with one query; the members applied in arrival order against those balances, each refusal concerning its
 * member alone (a transaction's refused leg undoes its earlier legs: {@link Moves}); the ledger rows in one statement,
 * the holds with them; keys of refused members released; the accounts whose balance or holds changed written with
 * one statement; one COMMIT. The accounts are read and written outside the
 * session ({@link Account#lockAll}), whose loading and checking entity by entity took most of a batch's time over
 * 10,000 accounts. Keys before accounts, both in a global order: two batches, or a batch and
 * a single transfer, can never wait on each other in a cycle. The SQL of the ledger and the keys lives beside their
 * entities ({@link Transfer}, {@link IdempotencyKey}); this class holds only the batching.
 */
@ApplicationScoped
class BatchWriter {

    /** One request a batch applies: money moved, or money reserved. */
    sealed interface Request {
        Caller caller();

        /** The caller's idempotency key, or null. */
        String idempotencyKey();

        /** Every account it touches. */
        Set<Long> accountIds();
    }

    /** A transfer, or a transaction with all its legs. */
    record Moving(Movement movement) implements Request {
        @Override
        public Caller caller() {
            return movement.caller();
        }

        @Override
        public String idempotencyKey() {
            return movement.idempotencyKey();
        }

        @Override
        public Set<Long> accountIds() {
            return movement.accountIds();
        }
    }

    /** A hold to place on the sender's account. */
    record Holding(HoldCommand command) implements Request {
        @Override
        public Caller caller() {
            return command.caller();
        }

        @Override
        public String idempotencyKey() {
            return command.idempotencyKey();
        }

        @Override
        public Set<Long> accountIds() {
            return new TreeSet<>(List.of(command.from(), command.to()));
        }
    }

    /** What became of one member: its ledger rows (one per leg) or its hold, or why it has neither. */
    record Outcome(List<Transfer> transfers, Hold hold, RuntimeException refusal) {
        static Outcome refused(RuntimeException refusal) {
            return new Outcome(null, null, refusal);
        }

        boolean booked() {
            return refusal == null;
        }
    }

    private final ConfirmedCommit confirmedCommit;
    private final LostCommitLookup lostCommits;
    private final TransferIds transferIds;

    BatchWriter(ConfirmedCommit confirmedCommit, LostCommitLookup lostCommits, TransferIds transferIds) {
        this.confirmedCommit = confirmedCommit;
        this.lostCommits = lostCommits;
        this.transferIds = transferIds;
    }

    /** One outcome per member, in the same order; throws only if the batch as a whole failed. */
    List<Outcome> apply(List<? extends Request> batch) {
        AtomicReference<List<Outcome>> awaitingCommit = new AtomicReference<>();
        AtomicBoolean claimingKeys = new AtomicBoolean();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                List<Outcome> outcomes = applyInTransaction(batch, claimingKeys);
                awaitingCommit.set(outcomes);
                confirmedCommit.commit(null);
                return outcomes;
            });
        } catch (RuntimeException failure) {
            if (awaitingCommit.get() != null) {
                return settle(batch, awaitingCommit.get(), failure);
            }
            if (claimingKeys.get() && TransferFailures.isLockTimeout(failure)) {
                return withoutHeldKeys(batch);
            }
            // A deadlock or lock timeout of the whole batch is a 409 for each member, as for one transfer.
            throw TransferFailures.asBankException(failure);
        }
    }

    /**
     * Another transaction held a key of this batch past the lock timeout and may yet commit under it: the keyed members
     * are told to repeat with their key, never that nothing happened under it; the others, which no key concerns, run
     * again as a batch of their own rather than share the keyed members' answer.
     */
    private List<Outcome> withoutHeldKeys(List<? extends Request> batch) {
        List<? extends Request> unkeyed = batch.stream().filter(member -> member.idempotencyKey() == null).toList();
        List<Outcome> unkeyedOutcomes;
        try {
            unkeyedOutcomes = unkeyed.isEmpty() ? List.of() : apply(unkeyed);
        } catch (RuntimeException failure) {
            unkeyedOutcomes = unkeyed.stream().map(member -> Outcome.refused(failure)).toList();
        }
        Iterator<Outcome> next = unkeyedOutcomes.iterator();
        return batch.stream().map(member -> member.idempotencyKey() == null ? next.next()
                : Outcome.refused(new IdempotencyKeyInProgressException(member.idempotencyKey()))).toList();
    }

    /**
     * Every statement ran, only the COMMIT failed, and it may have happened: one look-up settles every member, since
     * the batch committed all its rows or none. A COMMIT the standby did not confirm needs no look-up: it is unknown.
     */
    private List<Outcome> settle(List<? extends Request> batch, List<Outcome> outcomes,
            RuntimeException commitFailure) {
        if (outcomes.stream().noneMatch(Outcome::booked)) {
            return outcomes;
        }
        Set<Long> accounts = new TreeSet<>();
        batch.forEach(member -> accounts.addAll(member.accountIds()));
        RuntimeException notDone = TransferFailures.asBankException(commitFailure);
        if (commitFailure instanceof TransferOutcomeUnknownException unconfirmed) {
            return unknown(outcomes, unconfirmed, notDone);
        }
        boolean committed;
        try {
            committed = lostCommits.committed(accounts, () -> wasWritten(outcomes), commitFailure, null);
        } catch (TransferOutcomeUnknownException unknown) {
            return unknown(outcomes, unknown, notDone);
        }
        if (committed) {
            return outcomes;
        }
        return outcomes.stream().map(outcome -> outcome.booked() ? Outcome.refused(notDone)
                : refusalAfterAFailedCommit(outcome, notDone)).toList();
    }

    /** Whether the batch's rows are there: it committed all of them or none, so its first member's tell. */
    private static boolean wasWritten(List<Outcome> outcomes) {
        Outcome first = outcomes.stream().filter(Outcome::booked).findFirst().orElseThrow();
        return first.transfers() != null ? Transfer.findById(first.transfers().get(0).id) != null
                : Hold.findById(first.hold().id) != null;
    }

    /** Each booked member is told its own outcome is unknown, naming its (first) ledger row or its hold. */
    private static List<Outcome> unknown(List<Outcome> outcomes, TransferOutcomeUnknownException unknown,
            RuntimeException notDone) {
        return outcomes.stream().map(outcome -> {
            if (!outcome.booked()) {
                return refusalAfterAFailedCommit(outcome, notDone);
            }
            return Outcome.refused(outcome.transfers() != null ? unknown.naming(outcome.transfers().get(0).id)
                    : unknown.concerning("hold " + outcome.hold().id));
        }).toList();
    }

    /**
     * A member the balances refused was judged against the batch's earlier moves, which may not have committed: the
     * reason may be false, so it is told only that nothing changed. Other refusals stand whatever the batch did.
     */
    private static Outcome refusalAfterAFailedCommit(Outcome refused, RuntimeException notDone) {
        RuntimeException refusal = refused.refusal() instanceof LegRefusedException leg ? leg.refusal()
                : refused.refusal();
        return refusal instanceof InsufficientFundsException || refusal instanceof BalanceLimitExceededException
                ? Outcome.refused(notDone) : refused;
    }

    private List<Outcome> applyInTransaction(List<? extends Request> batch, AtomicBoolean claimingKeys) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<List<Long>> drawn = drawIds(batch);
        List<Long> ids = drawn.stream().map(memberIds -> memberIds.get(0)).toList();
        List<RuntimeException> refusals = new ArrayList<>(batch.size());
        batch.forEach(member -> refusals.add(null));
        claimingKeys.set(true);
        Map<Integer, String> claimedKeys = claimKeys(batch, ids, now, refusals);
        claimingKeys.set(false);

        Set<Long> accountIds = new TreeSet<>();
        batch.forEach(member -> accountIds.addAll(member.accountIds()));
        Map<Long, Account> accounts = Account.lockAll(accountIds);
        Map<Account, Account.Snapshot> read = new IdentityHashMap<>();
        accounts.values().forEach(account -> read.put(account, account.snapshot()));
        Instant at = Account.entryTime(accounts.values());
        Account.readLapsed(accounts.values(), at);
        List<Outcome> outcomes = new ArrayList<>();
        List<Transfer> booked = new ArrayList<>();
        List<Hold> placed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = refusals.get(i) != null ? Outcome.refused(refusals.get(i))
                    : applied(batch.get(i), drawn.get(i), accounts, at);
            if (outcome.transfers() != null) {
                booked.addAll(outcome.transfers());
            }
            if (outcome.hold() != null) {
                placed.add(outcome.hold());
            }
            outcomes.add(outcome);
        }
        Hold.insertAll(placed);
        Transfer.book(booked, read.entrySet().stream()
                .filter(before -> !before.getKey().snapshot().equals(before.getValue())).map(Map.Entry::getKey).toList());
        releaseUnusedKeys(batch, ids, claimedKeys, outcomes);
        return outcomes;
    }

    /**
     * Each member's ids, drawn with one statement per sequence: a movement's, one per leg; a placement's, its hold's.
     * The first names the member (its key's claim, a refusal).
     */
    private List<List<Long>> drawIds(List<? extends Request> batch) {
        int legCount = 0;
        int holdCount = 0;
        for (Request member : batch) {
            if (member instanceof Moving moving) {
                legCount += moving.movement().legs().size();
            } else {
                holdCount++;
            }
        }
        List<Long> legIds = transferIds.draw(legCount);
        List<Long> holdIds = holdCount == 0 ? List.of() : Hold.nextIds(holdCount);
        List<List<Long>> ids = new ArrayList<>(batch.size());
        int nextLeg = 0;
        int nextHold = 0;
        for (Request member : batch) {
            if (member instanceof Moving moving) {
                int legs = moving.movement().legs().size();
                ids.add(legIds.subList(nextLeg, nextLeg + legs));
                nextLeg += legs;
            } else {
                ids.add(holdIds.subList(nextHold, ++nextHold));
            }
        }
        return ids;
    }

    /** The member applied to the locked accounts at {@code at}: its rows or hold, not yet written, or its refusal. */
    private static Outcome applied(Request member, List<Long> ids, Map<Long, Account> accounts, Instant at) {
        try {
            if (member instanceof Holding holding) {
                return new Outcome(null, Hold.place(ids.get(0), holding.command(), BatchedStrategy.NAME, accounts, at),
                        null);
            }
            Movement movement = ((Moving) member).movement();
            List<Transfer> rows = rows(movement, ids, at);
            Moves.apply(movement, accounts, rows, at);
            return new Outcome(rows, null, null);
        } catch (BankException refused) {
            return Outcome.refused(refused);
        }
    }

    /** Unbinds the keys claimed for members that were then refused: nothing of theirs is written. */
    private static void releaseUnusedKeys(List<? extends Request> batch, List<Long> ids,
            Map<Integer, String> claimedKeys, List<Outcome> outcomes) {
        List<IdempotencyKey.Claim> transferKeys = new ArrayList<>();
        List<HoldKey.Claim> holdKeys = new ArrayList<>();
        claimedKeys.forEach((member, key) -> {
            if (outcomes.get(member).booked()) {
                return;
            }
            String subject = batch.get(member).caller().subject();
            if (batch.get(member) instanceof Holding) {
                holdKeys.add(new HoldKey.Claim(subject, key, ids.get(member)));
            } else {
                transferKeys.add(new IdempotencyKey.Claim(subject, key, ids.get(member)));
            }
        });
        IdempotencyKey.release(transferKeys);
        HoldKey.release(holdKeys);
    }

    /** A member's ledger rows, not yet written, under the ids drawn for its legs; a transaction's name the first. */
    private static List<Transfer> rows(Movement member, List<Long> ids, Instant at) {
        List<Leg> legs = member.legs();
        Long transactionId = member.isTransaction() ? ids.get(0) : null;
        List<Transfer> rows = new ArrayList<>(legs.size());
        for (int leg = 0; leg < legs.size(); leg++) {
            rows.add(Transfer.written(ids.get(leg), legs.get(leg), BatchedStrategy.NAME, 1, at, transactionId));
        }
        return rows;
    }

    /**
     * Claims the keyed members' keys, transfers' first and then holds' (each kind in key order: two batches never wait on
     * each other in a cycle). A key already bound, or claimed by an earlier member of this batch, makes its member a
     * repeat, which {@code TransferService} or {@code HoldService} answers once this batch has ended.
     */
    private static Map<Integer, String> claimKeys(List<? extends Request> batch, List<Long> ids, Instant now,
            List<RuntimeException> refusals) {
        List<IdempotencyKey.Claim> transferClaims = new ArrayList<>();
        List<HoldKey.Claim> holdClaims = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Request member = batch.get(i);
            if (member.idempotencyKey() == null) {
                continue;
            }
            if (member instanceof Holding) {
                holdClaims.add(new HoldKey.Claim(member.caller().subject(), member.idempotencyKey(), ids.get(i)));
            } else {
                transferClaims.add(new IdempotencyKey.Claim(member.caller().subject(), member.idempotencyKey(),
                        ids.get(i)));
            }
        }
        Set<Long> boundTransfers = transferClaims.isEmpty() ? Set.of() : IdempotencyKey.claimAll(transferClaims, now);
        Set<Long> boundHolds = holdClaims.isEmpty() ? Set.of() : HoldKey.claimPlacements(holdClaims);
        Map<Integer, String> claimed = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Request member = batch.get(i);
            if (member.idempotencyKey() == null) {
                continue;
            }
            Set<Long> bound = member instanceof Holding ? boundHolds : boundTransfers;
            if (bound.contains(ids.get(i))) {
                claimed.put(i, member.idempotencyKey());
            } else {
                refusals.set(i, new IdempotencyKeyBoundException(member.idempotencyKey()));
            }
        }
        return claimed;
    }
}
