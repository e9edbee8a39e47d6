package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
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
    public static final String INSERT_ALL = """
            insert into transfer (id, from_account_id, to_account_id, amount, transaction_id, from_entry,
                                  from_balance_after, to_entry, to_balance_after, strategy, attempts, created_at)
            select id, from_account_id, to_account_id, amount, transaction_id, from_entry, from_balance_after,
                   to_entry, to_balance_after, ?, ?, ?
              from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[], ?::bigint[], ?::bigint[],
                          ?::numeric[], ?::bigint[], ?::numeric[])
                   as row (id, from_account_id, to_account_id, amount, transaction_id, from_entry, from_balance_after,
                           to_entry, to_balance_after)
            """;

    /**
     * The accounts' UPDATE and the rows' INSERT in one statement ({@link #bindBooking}), for a transaction that holds
     * the accounts locked. It writes every account and row it is given: the accounts were read under this
     * transaction's lock and accounts are never deleted (migration V10), and the INSERT takes every element of its
     * arrays.
     */
    public static final String BOOKING = "with written as (" + Account.WRITE_LOCKED + ") " + INSERT_ALL;

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
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
                bindInsertAll(connection, insert, rows);
                insert.executeUpdate();
            }
        });
    }

    /**
     * Inserts rows made by {@link #written} and writes the accounts they changed, which this transaction holds locked,
     * with one statement ({@link #BOOKING}): the rows stay locked for one round trip fewer than with the session's
     * UPDATEs followed by the insert. Either list may be empty.
     */
    public static void book(List<Transfer> rows, Collection<Account> changed) {
        if (rows.isEmpty() && changed.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement book = connection.prepareStatement(BOOKING)) {
                bindBooking(connection, book, rows, changed);
                book.executeUpdate();
            }
        });
    }

    /** Binds the parameters of {@link #INSERT_ALL}: the rows. */
    public static void bindInsertAll(Connection connection, PreparedStatement insert, List<Transfer> rows)
            throws SQLException {
        bindInserted(connection, insert, 1, rows);
    }

    /** Binds the parameters of {@link #BOOKING}: the accounts the rows change, then the rows. */
    public static void bindBooking(Connection connection, PreparedStatement booking, List<Transfer> rows,
            Collection<Account> changed) throws SQLException {
        bindInserted(connection, booking, Account.bindWritten(connection, booking, 1, changed), rows);
    }

    /** Binds the parameters of {@link #INSERT_ALL}, from the {@code first}. */
    private static void bindInserted(Connection connection, PreparedStatement insert, int first, List<Transfer> rows)
            throws SQLException {
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
        Transfer head = rows.isEmpty() ? null : rows.get(0);
        insert.setString(first, head == null ? null : head.strategy);
        insert.setObject(first + 1, head == null ? null : head.attempts, Types.INTEGER);
        insert.setObject(first + 2, head == null ? null : OffsetDateTime.ofInstant(head.createdAt, ZoneOffset.UTC));
        insert.setArray(first + 3, connection.createArrayOf("bigint", ids));
        insert.setArray(first + 4, connection.createArrayOf("bigint", senders));
        insert.setArray(first + 5, connection.createArrayOf("bigint", receivers));
        insert.setArray(first + 6, connection.createArrayOf("numeric", amounts));
        insert.setArray(first + 7, connection.createArrayOf("bigint", transactions));
        insert.setArray(first + 8, connection.createArrayOf("bigint", fromEntries));
        insert.setArray(first + 9, connection.createArrayOf("numeric", fromBalances));
        insert.setArray(first + 10, connection.createArrayOf("bigint", toEntries));
        insert.setArray(first + 11, connection.createArrayOf("numeric", toBalances));
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
