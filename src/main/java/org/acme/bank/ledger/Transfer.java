package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Query;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

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
            insert into transfer (id, from_account_id, to_account_id, amount, transaction_id, strategy, attempts, created_at)
            select id, from_account_id, to_account_id, amount, transaction_id, ?, ?, ?
              from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[], ?::bigint[])
                   as row (id, from_account_id, to_account_id, amount, transaction_id)
            """;

    /**
     * From a sequence in blocks of 50 (Hibernate's pooled-lo optimizer): the id is known when the row is persisted,
     * without a round trip, and the INSERT waits for the flush and goes out in a JDBC batch.
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "transfer_id")
    @SequenceGenerator(name = "transfer_id", sequenceName = "transfer_id_seq", allocationSize = ID_BLOCK)
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

    protected Transfer() {
    }

    /**
     * A ledger row for {@link #insertAll} (a batch, or the legs of a transaction, in one statement), with the id it
     * took from the sequence and the transaction it is a leg of, if any; not managed by the session.
     */
    public static Transfer written(long id, Leg leg, String strategy, int attempts, Instant createdAt,
            Long transactionId) {
        Transfer transfer = unsaved(leg.from(), leg.to(), leg.amount(), strategy, attempts, createdAt);
        transfer.id = id;
        transfer.transactionId = transactionId;
        return transfer;
    }

    /**
     * Ids for {@code count} ledger rows, from as few blocks of the sequence as they need, in one statement: as
     * Hibernate's pooled-lo optimizer does, each nextval is the first of {@link #ID_BLOCK} ids that belong to whoever
     * drew it.
     */
    public static List<Long> nextIds(int count) {
        List<?> blocks = statement("select nextval('transfer_id_seq') from generate_series(1, :blocks)")
                .setParameter("blocks", (count + ID_BLOCK - 1) / ID_BLOCK)
                .getResultList();
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(((Number) blocks.get(i / ID_BLOCK)).longValue() + i % ID_BLOCK);
        }
        return ids;
    }

    /**
     * Inserts rows made by {@link #written}, which share the first one's strategy, attempts and instant, with one
     * statement. It is no reason to flush pending changes, which go out once, at the end of the transaction.
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
        for (int i = 0; i < size; i++) {
            Transfer row = rows.get(i);
            ids[i] = row.id;
            senders[i] = row.fromAccountId;
            receivers[i] = row.toAccountId;
            amounts[i] = row.amount;
            transactions[i] = row.transactionId;
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
                insert.executeUpdate();
            }
        });
    }

    /** The legs of a transaction, in the order they applied (their ids were drawn in that order). */
    public static List<Transfer> legsOf(long transactionId) {
        return list("transactionId = ?1 order by id", transactionId);
    }

    /** A statement that is no reason to flush pending changes, which go out once, at the end of the transaction. */
    static Query statement(String sql) {
        return getEntityManager().createNativeQuery(sql).setFlushMode(FlushModeType.COMMIT);
    }

    /**
     * Persists the ledger row of a transfer: its id is assigned now, the INSERT goes out at the next flush, with the
     * account updates.
     */
    public static Transfer record(Leg leg, String strategy, int attempts) {
        // PostgreSQL keeps microseconds: truncate so the answer equals what a later read returns.
        Transfer transfer = unsaved(leg.from(), leg.to(), leg.amount(), strategy, attempts,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        transfer.persist();
        return transfer;
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
