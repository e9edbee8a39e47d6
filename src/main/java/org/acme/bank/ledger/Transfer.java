package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.Id;
import jakarta.persistence.Query;
import jakarta.persistence.Table;

import org.acme.bank.account.Account;
import org.acme.bank.transfer.Leg;
import org.hibernate.Session;

/**
 * One successful transfer, or one leg of a transaction. Rows are only ever inserted, in the same transaction as the
 * balance changes; a trigger in the schema refuses updates and deletes.
 */
@Entity
@Table(name = "transfer")
public class Transfer extends PanacheEntityBase {

    /** The sequence's increment (migration V3), and so the allocation size: each nextval is the first of this many. */
    public static final int ID_BLOCK = 50;

    /**
     * Rows of one strategy, attempt and instant in one statement whatever their number: one array per column, so the
     * statement is the same for every batch and the driver prepares it once per connection.
     */
    private static final String INSERT_ALL = """
            insert into transfer (id, from_account_id, to_account_id, amount, transaction_id, from_entry,
                                  from_balance_after, to_entry, to_balance_after, strategy, attempts, created_at)
            select id, from_account_id, to_account_id, amount, transaction_id, from_entry, from_balance_after,
                   to_entry, to_balance_after, ?, ?, ?
              from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[], ?::bigint[], ?::bigint[],
                          ?::numeric[], ?::bigint[], ?::numeric[])
                   as row (id, from_account_id, to_account_id, amount, transaction_id, from_entry, from_balance_after,
                           to_entry, to_balance_after)
            """;

    /** From a sequence in blocks of {@link #ID_BLOCK}: {@link TransferIds}. */
    @Id
    public Long id;

    @Column(name = "from_account_id", nullable = false, updatable = false)
    public long fromAccountId;

    @Column(name = "to_account_id", nullable = false, updatable = false)
    public long toAccountId;

    @Column(nullable = false, precision = 19, scale = 2, updatable = false)
    public BigDecimal amount;

    @Column(nullable = false, length = 20, updatable = false)
    public String strategy;

    @Column(nullable = false, updatable = false)
    public int attempts;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** The transaction this row is a leg of (the id of its first leg), or null for a transfer of its own. */
    @Column(name = "transaction_id", updatable = false)
    public Long transactionId;

    /**
     * The row's place in the sender's sequence of entries, and the sender's balance after it; null only for a row
     * written by plain SQL, outside the service.
     */
    @Column(name = "from_entry", updatable = false)
    public Long fromEntry;

    @Column(name = "from_balance_after", precision = 19, scale = 2, updatable = false)
    public BigDecimal fromBalanceAfter;

    /** The row's place in the receiver's sequence of entries, and the receiver's balance after it. */
    @Column(name = "to_entry", updatable = false)
    public Long toEntry;

    @Column(name = "to_balance_after", precision = 19, scale = 2, updatable = false)
    public BigDecimal toBalanceAfter;

    protected Transfer() {
    }

    /**
     * A ledger row for {@link #insertAll}, with the id it took from the sequence ({@link TransferIds}) and the
     * transaction it is a leg of, if any; not managed by the session. {@link #entered} completes it.
     */
    public static Transfer written(long id, Leg leg, String strategy, int attempts, Instant createdAt,
            Long transactionId) {
        Transfer transfer = unsaved(leg.from(), leg.to(), leg.amount(), strategy, attempts, createdAt);
        transfer.id = id;
        transfer.transactionId = transactionId;
        return transfer;
    }

    /** The first ids of {@code count} blocks of the sequence, with one statement. */
    static List<Long> idBlocks(int count) {
        return statement("select nextval('transfer_id_seq') from generate_series(1, :blocks)")
                .setParameter("blocks", count)
                .getResultList().stream().map(first -> ((Number) first).longValue()).toList();
    }

    /**
     * Inserts rows made by {@link #written}, which share the first one's strategy, attempts and instant, with one
     * statement, whatever their number (a transfer, the legs of a transaction, a batch). It is no reason to flush
     * pending changes, which go out once, at the end of the transaction.
     */
    public static void insertAll(List<Transfer> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int size = rows.size();
        Long[] ids = new Long[size];
        Long[] senders = new Long[size];
        Long[] receivers = new Long[size];
        BigDecimal[] amounts = new BigDecimal[size];
        Long[] transactions = new Long[size];
        Long[] fromEntries = new Long[size];
        BigDecimal[] fromBalances = new BigDecimal[size];
        Long[] toEntries = new Long[size];
        BigDecimal[] toBalances = new BigDecimal[size];
        for (int i = 0; i < size; i++) {
            Transfer row = rows.get(i);
            ids[i] = row.id;
            senders[i] = row.fromAccountId;
            receivers[i] = row.toAccountId;
            amounts[i] = row.amount;
            transactions[i] = row.transactionId;
            fromEntries[i] = row.fromEntry;
            fromBalances[i] = row.fromBalanceAfter;
            toEntries[i] = row.toEntry;
            toBalances[i] = row.toBalanceAfter;
        }
        Transfer first = rows.get(0);
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
                insert.setString(1, first.strategy);
                insert.setInt(2, first.attempts);
                insert.setObject(3, OffsetDateTime.ofInstant(first.createdAt, ZoneOffset.UTC));
                insert.setArray(4, connection.createArrayOf("bigint", ids));
                insert.setArray(5, connection.createArrayOf("bigint", senders));
                insert.setArray(6, connection.createArrayOf("bigint", receivers));
                insert.setArray(7, connection.createArrayOf("numeric", amounts));
                insert.setArray(8, connection.createArrayOf("bigint", transactions));
                insert.setArray(9, connection.createArrayOf("bigint", fromEntries));
                insert.setArray(10, connection.createArrayOf("numeric", fromBalances));
                insert.setArray(11, connection.createArrayOf("bigint", toEntries));
                insert.setArray(12, connection.createArrayOf("numeric", toBalances));
                insert.executeUpdate();
            }
        });
    }

    /**
     * Records the row as the next entry of both accounts, which its leg has just debited and credited, made at
     * {@code at}: its place in each account's sequence and each account's balance after it.
     */
    public void entered(Account sender, Account receiver, Instant at) {
        createdAt = at;
        fromEntry = sender.enter(at);
        fromBalanceAfter = sender.balance;
        toEntry = receiver.enter(at);
        toBalanceAfter = receiver.balance;
    }

    /** The row's entry number in the sequence of one of its two accounts. */
    public long entryOf(long accountId) {
        return accountId == fromAccountId ? fromEntry : toEntry;
    }

    /** The legs of a transaction, in the order they applied (their ids were drawn in that order). */
    public static List<Transfer> legsOf(long transactionId) {
        return list("transactionId = ?1 order by id", transactionId);
    }

    /** A statement that is no reason to flush pending changes, which go out once, at the end of the transaction. */
    static Query statement(String sql) {
        return getEntityManager().createNativeQuery(sql).setFlushMode(FlushModeType.COMMIT);
    }

    private static Transfer unsaved(long fromAccountId, long toAccountId, BigDecimal amount, String strategy,
            int attempts, Instant createdAt) {
        Transfer transfer = new Transfer();
        transfer.fromAccountId = fromAccountId;
        transfer.toAccountId = toAccountId;
        transfer.amount = amount;
        transfer.strategy = strategy;
        transfer.attempts = attempts;
        transfer.createdAt = createdAt;
        return transfer;
    }
}
