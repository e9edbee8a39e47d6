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
import org.acme.bank.account.Account;
import org.acme.bank.account.BalanceLimitExceededException;
import org.acme.bank.account.InsufficientFundsException;
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
 * Applies a batch of movements (transfers, and transactions, each a member with all its legs) in one transaction, in
 * a fixed number of round trips whatever its size: ids for every leg from the sequence; the members' idempotency keys
 * claimed in key order; every account the batch touches locked in id order with one query; the members applied in
 * arrival order against those balances, each refusal concerning its member alone (a transaction's refused leg undoes
 * its earlier legs: {@link Moves}); the ledger rows in one statement; keys of refused members released; the accounts
 * whose balance changed written with one statement; one COMMIT. The accounts are read and written outside the
 * session ({@link Account#lockAll}), whose loading and checking entity by entity took most of a batch's time over
 * 10,000 accounts. Keys before accounts, both in a global order: two batches, or a batch and
 * a single transfer, can never wait on each other in a cycle. The SQL of the ledger and the keys lives beside their
 * entities ({@link Transfer}, {@link IdempotencyKey}); this class holds only the batching.
 */
@ApplicationScoped
class BatchWriter {

    /** What became of one member: its ledger rows, one per leg, or why it has none. */
    record Outcome(List<Transfer> transfers, RuntimeException refusal) {
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
    List<Outcome> apply(List<? extends Movement> batch) {
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
    private List<Outcome> withoutHeldKeys(List<? extends Movement> batch) {
        List<? extends Movement> unkeyed = batch.stream().filter(command -> command.idempotencyKey() == null).toList();
        List<Outcome> unkeyedOutcomes;
        try {
            unkeyedOutcomes = unkeyed.isEmpty() ? List.of() : apply(unkeyed);
        } catch (RuntimeException failure) {
            unkeyedOutcomes = unkeyed.stream().map(command -> new Outcome(null, failure)).toList();
        }
        Iterator<Outcome> next = unkeyedOutcomes.iterator();
        return batch.stream().map(command -> command.idempotencyKey() == null ? next.next()
                : new Outcome(null, new IdempotencyKeyInProgressException(command.idempotencyKey()))).toList();
    }

    /**
     * Every statement ran, only the COMMIT failed, and it may have happened: one look-up settles every member, since
     * the batch committed all its rows or none. A COMMIT the standby did not confirm needs no look-up: it is unknown.
     */
    private List<Outcome> settle(List<? extends Movement> batch, List<Outcome> outcomes,
            RuntimeException commitFailure) {
        List<Long> booked = outcomes.stream().filter(outcome -> outcome.transfers() != null)
                .map(outcome -> outcome.transfers().get(0).id).toList();
        if (booked.isEmpty()) {
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
            committed = lostCommits.committed(booked, accounts, commitFailure, null);
        } catch (TransferOutcomeUnknownException unknown) {
            return unknown(outcomes, unknown, notDone);
        }
        if (committed) {
            return outcomes;
        }
        return outcomes.stream().map(outcome -> outcome.transfers() != null ? new Outcome(null, notDone)
                : refusalAfterAFailedCommit(outcome, notDone)).toList();
    }

    /** Each booked member is told its own (first) ledger row's outcome is unknown. */
    private static List<Outcome> unknown(List<Outcome> outcomes, TransferOutcomeUnknownException unknown,
            RuntimeException notDone) {
        return outcomes.stream().map(outcome -> outcome.transfers() != null
                ? new Outcome(null, unknown.naming(outcome.transfers().get(0).id)) : refusalAfterAFailedCommit(outcome, notDone))
                .toList();
    }

    /**
     * A member the balances refused was judged against the batch's earlier moves, which may not have committed: the
     * reason may be false, so it is told only that nothing changed. Other refusals stand whatever the batch did.
     */
    private static Outcome refusalAfterAFailedCommit(Outcome refused, RuntimeException notDone) {
        RuntimeException refusal = refused.refusal() instanceof LegRefusedException leg ? leg.refusal()
                : refused.refusal();
        return refusal instanceof InsufficientFundsException || refusal instanceof BalanceLimitExceededException
                ? new Outcome(null, notDone) : refused;
    }

    private List<Outcome> applyInTransaction(List<? extends Movement> batch, AtomicBoolean claimingKeys) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int legCount = 0;
        List<Integer> firstLegs = new ArrayList<>(batch.size());
        for (Movement member : batch) {
            firstLegs.add(legCount);
            legCount += member.legs().size();
        }
        List<Long> legIds = transferIds.draw(legCount);
        List<Long> ids = firstLegs.stream().map(legIds::get).toList();
        List<RuntimeException> refusals = new ArrayList<>(batch.size());
        batch.forEach(member -> refusals.add(null));
        claimingKeys.set(true);
        Map<Integer, String> claimedKeys = claimKeys(batch, ids, now, refusals);
        claimingKeys.set(false);

        Set<Long> accountIds = new TreeSet<>();
        batch.forEach(member -> accountIds.addAll(member.accountIds()));
        Map<Long, Account> accounts = Account.lockAll(accountIds);
        Map<Account, Long> entriesRead = new IdentityHashMap<>();
        accounts.values().forEach(account -> entriesRead.put(account, account.entries));
        Instant at = Account.entryTime(accounts.values());
        Account.readLapsed(accounts.values(), at);
        List<Outcome> outcomes = new ArrayList<>();
        List<Transfer> booked = new ArrayList<>(legCount);
        for (int i = 0; i < batch.size(); i++) {
            Movement member = batch.get(i);
            List<Transfer> rows = refusals.get(i) == null ? rows(member, legIds.subList(firstLegs.get(i),
                    firstLegs.get(i) + member.legs().size()), at) : null;
            if (rows != null) {
                try {
                    Moves.apply(member, accounts, rows, at);
                } catch (BankException refused) {
                    refusals.set(i, refused);
                }
            }
            if (refusals.get(i) == null) {
                booked.addAll(rows);
                outcomes.add(new Outcome(rows, null));
            } else {
                outcomes.add(new Outcome(null, refusals.get(i)));
            }
        }
        Transfer.insertAll(booked);
        List<Account> changed = new ArrayList<>();
        entriesRead.forEach((account, entries) -> {
            if (account.entries != entries) {
                changed.add(account);
            }
        });
        Account.writeAll(changed);
        List<IdempotencyKey.Claim> unused = new ArrayList<>();
        claimedKeys.forEach((member, key) -> {
            if (refusals.get(member) != null) {
                unused.add(new IdempotencyKey.Claim(batch.get(member).caller().subject(), key, ids.get(member)));
            }
        });
        IdempotencyKey.release(unused);
        return outcomes;
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
     * Claims the keyed members' keys. A key already bound, or claimed by an earlier member of this batch, makes its
     * member a repeat, which {@code TransferService} answers once this batch has ended.
     */
    private static Map<Integer, String> claimKeys(List<? extends Movement> batch, List<Long> ids, Instant now,
            List<RuntimeException> refusals) {
        List<IdempotencyKey.Claim> claims = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).idempotencyKey() != null) {
                claims.add(new IdempotencyKey.Claim(batch.get(i).caller().subject(), batch.get(i).idempotencyKey(),
                        ids.get(i)));
            }
        }
        Map<Integer, String> claimed = new HashMap<>();
        if (claims.isEmpty()) {
            return claimed;
        }
        Set<Long> bound = IdempotencyKey.claimAll(claims, now);
        for (int member = 0; member < batch.size(); member++) {
            String key = batch.get(member).idempotencyKey();
            if (key == null) {
                continue;
            }
            if (bound.contains(ids.get(member))) {
                claimed.put(member, key);
            } else {
                refusals.set(member, new IdempotencyKeyBoundException(key));
            }
        }
        return claimed;
    }
}
