package org.acme.bank.transfer.strategy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;

import org.acme.bank.BankException;
import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.IdempotencyKeyBoundException;
import org.acme.bank.transfer.TransferCommand;
import org.acme.bank.transfer.TransferSteps;

/**
 * Applies a batch of transfers in one transaction, in a fixed number of round trips whatever its size: ids for every
 * member from the sequence; the members' idempotency keys claimed in key order; every account the batch touches
 * locked in id order with one query; the members applied in arrival order against those balances, each refusal
 * concerning its member alone; the ledger rows in one statement; keys of refused members released; each account
 * written once (one JDBC batch); one COMMIT. Keys before accounts, both in a global order: two batches, or a batch and
 * a single transfer, can never wait on each other in a cycle.
 */
@ApplicationScoped
class BatchWriter {

    /** The sequence's increment (migration V3), which is also the entity's allocation size. */
    private static final int ID_BLOCK = 50;

    /** What became of one member: its ledger row, or why it has none. */
    record Outcome(Transfer transfer, RuntimeException refusal) {
    }

    private final EntityManager entityManager;
    private final TransferSteps steps;

    BatchWriter(EntityManager entityManager, TransferSteps steps) {
        this.entityManager = entityManager;
        this.steps = steps;
    }

    /** One outcome per command, in the same order; throws only if the batch as a whole failed. */
    List<Outcome> apply(List<TransferCommand> batch) {
        AtomicReference<List<Outcome>> awaitingCommit = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                List<Outcome> outcomes = applyInTransaction(batch);
                entityManager.flush();
                awaitingCommit.set(outcomes);
                return outcomes;
            });
        } catch (RuntimeException failure) {
            if (awaitingCommit.get() == null) {
                // A deadlock or lock timeout of the whole batch is a 409 for each member, as for one transfer.
                throw TransferSteps.asBankException(failure);
            }
            // Every statement ran: only the COMMIT failed, and it may have happened. Ask the ledger, member by member.
            return awaitingCommit.get().stream().map(outcome -> settle(outcome, failure)).toList();
        }
    }

    private Outcome settle(Outcome outcome, RuntimeException commitFailure) {
        if (outcome.transfer() == null) {
            return outcome;
        }
        try {
            return new Outcome(steps.committedDespite(commitFailure, outcome.transfer().id), null);
        } catch (RuntimeException unsettled) {
            return new Outcome(null, unsettled);
        }
    }

    private List<Outcome> applyInTransaction(List<TransferCommand> batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Long> ids = nextIds(batch.size());
        List<RuntimeException> refusals = new ArrayList<>(batch.size());
        batch.forEach(command -> refusals.add(null));
        Map<Integer, String> claimedKeys = claimKeys(batch, ids, now, refusals);

        Map<Long, Account> accounts = lockInIdOrder(batch);
        List<Outcome> outcomes = new ArrayList<>();
        List<Transfer> booked = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            TransferCommand command = batch.get(i);
            if (refusals.get(i) == null) {
                try {
                    move(command, accounts);
                } catch (BankException refused) {
                    refusals.set(i, refused);
                }
            }
            if (refusals.get(i) == null) {
                Transfer transfer = Transfer.written(ids.get(i), command.from(), command.to(), command.amount(),
                        BatchedStrategy.NAME, now);
                booked.add(transfer);
                outcomes.add(new Outcome(transfer, null));
            } else {
                outcomes.add(new Outcome(null, refusals.get(i)));
            }
        }
        writeLedger(booked);
        List<String> unused = new ArrayList<>();
        claimedKeys.forEach((member, key) -> {
            if (refusals.get(member) != null) {
                unused.add(key);
            }
        });
        releaseKeys(unused);
        return outcomes;
    }

    /**
     * Ids for {@code count} ledger rows, from as few blocks of the sequence as they need: like Hibernate's pooled-lo
     * optimizer, each nextval is the first of {@link #ID_BLOCK} ids that belong to whoever drew it.
     */
    private List<Long> nextIds(int count) {
        List<?> blocks = nativeQuery("select nextval('transfer_id_seq') from generate_series(1, :blocks)")
                .setParameter("blocks", (count + ID_BLOCK - 1) / ID_BLOCK)
                .getResultList();
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(((Number) blocks.get(i / ID_BLOCK)).longValue() + i % ID_BLOCK);
        }
        return ids;
    }

    /**
     * Claims the keyed members' keys in key order, so that two batches claim shared keys in the same order. A key
     * already bound (or claimed by an earlier member of this batch) makes its member a replay.
     */
    private Map<Integer, String> claimKeys(List<TransferCommand> batch, List<Long> ids, Instant now,
            List<RuntimeException> refusals) {
        List<Integer> keyed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).idempotencyKey() != null) {
                keyed.add(i);
            }
        }
        Map<Integer, String> claimed = new HashMap<>();
        if (keyed.isEmpty()) {
            return claimed;
        }
        keyed.sort(Comparator.comparing((Integer member) -> batch.get(member).idempotencyKey())
                .thenComparing(member -> member));
        StringBuilder sql = new StringBuilder("insert into idempotency_key (key, transfer_id, created_at) values ");
        for (int i = 0; i < keyed.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:key").append(i).append(", :id").append(i).append(", :at)");
        }
        sql.append(" on conflict (key) do nothing returning transfer_id");
        Query claim = nativeQuery(sql.toString()).setParameter("at", now);
        for (int i = 0; i < keyed.size(); i++) {
            claim.setParameter("key" + i, batch.get(keyed.get(i)).idempotencyKey());
            claim.setParameter("id" + i, ids.get(keyed.get(i)));
        }
        Set<Long> bound = new HashSet<>();
        for (Object id : claim.getResultList()) {
            bound.add(((Number) id).longValue());
        }
        for (int member : keyed) {
            String key = batch.get(member).idempotencyKey();
            if (bound.contains(ids.get(member))) {
                claimed.put(member, key);
            } else {
                refusals.set(member, new IdempotencyKeyBoundException(key));
            }
        }
        return claimed;
    }

    private Map<Long, Account> lockInIdOrder(List<TransferCommand> batch) {
        Set<Long> ids = new TreeSet<>();
        batch.forEach(command -> {
            ids.add(command.from());
            ids.add(command.to());
        });
        Map<Long, Account> accounts = new HashMap<>();
        entityManager.createQuery("from Account where id in :ids order by id", Account.class)
                .setParameter("ids", ids)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .forEach(account -> accounts.put(account.id, account));
        return accounts;
    }

    /** Debits and credits, or changes nothing and says why. */
    private static void move(TransferCommand command, Map<Long, Account> accounts) {
        Account sender = accounts.get(command.from());
        Account receiver = accounts.get(command.to());
        if (sender == null || receiver == null) {
            throw new AccountNotFoundException(sender == null ? command.from() : command.to());
        }
        sender.debit(command.amount());
        try {
            receiver.credit(command.amount());
        } catch (BankException refused) {
            // The sender had the money a moment ago: giving it back cannot break a rule.
            sender.credit(command.amount());
            throw refused;
        }
    }

    private void writeLedger(List<Transfer> booked) {
        if (booked.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into transfer (id, from_account_id, to_account_id, amount, "
                + "strategy, attempts, created_at) values ");
        for (int i = 0; i < booked.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :from").append(i).append(", :to")
                    .append(i).append(", :amount").append(i).append(", :strategy, 1, :at)");
        }
        Query insert = nativeQuery(sql.toString())
                .setParameter("strategy", BatchedStrategy.NAME)
                .setParameter("at", booked.get(0).createdAt);
        for (int i = 0; i < booked.size(); i++) {
            Transfer transfer = booked.get(i);
            insert.setParameter("id" + i, transfer.id)
                    .setParameter("from" + i, transfer.fromAccountId)
                    .setParameter("to" + i, transfer.toAccountId)
                    .setParameter("amount" + i, transfer.amount);
        }
        insert.executeUpdate();
    }

    /** Keys of members the balances refused point at ledger rows that were never written: they go. */
    private void releaseKeys(List<String> keys) {
        if (!keys.isEmpty()) {
            nativeQuery("delete from idempotency_key where key in (:keys)").setParameter("keys", keys).executeUpdate();
        }
    }

    private Query nativeQuery(String sql) {
        // These statements are not a reason to flush the account changes, which go out once, at the end.
        return entityManager.createNativeQuery(sql).setFlushMode(FlushModeType.COMMIT);
    }
}
