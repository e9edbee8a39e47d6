package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One successful transfer. Rows are only ever inserted, in the same transaction as the balance changes; a trigger in
 * the schema refuses updates and deletes.
 */
@Entity
@Table(name = "transfer")
public class Transfer extends PanacheEntityBase {

    /**
     * From a sequence in blocks of 50 (Hibernate's pooled-lo optimizer): the id is known when the row is persisted,
     * without a round trip, and the INSERT waits for the flush and goes out in a JDBC batch.
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "transfer_id")
    @SequenceGenerator(name = "transfer_id", sequenceName = "transfer_id_seq", allocationSize = 50)
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
