package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.time.Instant;
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

/**
 * One successful transfer. Rows are only ever inserted, in the same transaction as the balance changes; a trigger in
 * the schema refuses updates and deletes.
 */
@Entity
@Table(name = "transfer")
public class Transfer extends PanacheEntityBase {

    /** The sequence's increment (migration V3), and so the allocation size: each nextval is the first of this many. */
    public static final int ID_BLOCK = 50;

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

    protected Transfer() {
    }

    /**
     * A ledger row written by a statement of the caller's own (the batched strategy writes a whole batch in one), with
     * the id it took from the sequence; not managed by the session.
     */
    public static Transfer written(long id, long fromAccountId, long toAccountId, BigDecimal amount, String strategy,
            Instant createdAt) {
        Transfer transfer = unsaved(fromAccountId, toAccountId, amount, strategy, 1, createdAt);
        transfer.id = id;
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

    /** Inserts rows made by {@link #written} (one strategy, one instant) with one statement. */
    public static void insertAll(List<Transfer> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into transfer (id, from_account_id, to_account_id, amount, "
                + "strategy, attempts, created_at) values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :from").append(i).append(", :to")
                    .append(i).append(", :amount").append(i).append(", :strategy, 1, :at)");
        }
        Query insert = statement(sql.toString())
                .setParameter("strategy", rows.get(0).strategy)
                .setParameter("at", rows.get(0).createdAt);
        for (int i = 0; i < rows.size(); i++) {
            Transfer row = rows.get(i);
            insert.setParameter("id" + i, row.id)
                    .setParameter("from" + i, row.fromAccountId)
                    .setParameter("to" + i, row.toAccountId)
                    .setParameter("amount" + i, row.amount);
        }
        insert.executeUpdate();
    }

    /** A statement that is no reason to flush pending changes, which go out once, at the end of the transaction. */
    static Query statement(String sql) {
        return getEntityManager().createNativeQuery(sql).setFlushMode(FlushModeType.COMMIT);
    }

    /**
     * Persists the ledger row of a transfer: its id is assigned now, the INSERT goes out at the next flush, with the
     * account updates.
     */
    public static Transfer record(long fromAccountId, long toAccountId, BigDecimal amount, String strategy,
            int attempts) {
        // PostgreSQL keeps microseconds: truncate so the answer equals what a later read returns.
        Transfer transfer = unsaved(fromAccountId, toAccountId, amount, strategy, attempts,
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
