package org.acme.bank.ledger;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The client's key for one transfer, written in the same transaction as the transfer itself. */
@Entity
@Table(name = "idempotency_key")
public class IdempotencyKey extends PanacheEntityBase {

    @Id
    @Column(length = 255)
    public String key;

    @Column(name = "transfer_id", nullable = false, updatable = false)
    public long transferId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    protected IdempotencyKey() {
    }

    static void record(String key, Transfer transfer) {
        IdempotencyKey idempotencyKey = new IdempotencyKey();
        idempotencyKey.key = key;
        idempotencyKey.transferId = transfer.id;
        idempotencyKey.createdAt = transfer.createdAt;
        idempotencyKey.persist();
    }
}
