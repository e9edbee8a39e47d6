package org.acme.bank.ledger;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The client's key for one transfer, written first in the transaction that writes the transfer. */
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

    /**
     * Binds the key to the transfer about to be written, as the first statement of its transaction, and says whether
     * it did. A twin request still in flight under the same key makes this wait for the twin's COMMIT or ROLLBACK:
     * after a COMMIT the key stands for the twin's transfer and nothing is written (false); after a ROLLBACK the key
     * is free. Twins therefore queue on the key and never on the accounts. The reference to the transfer is checked
     * at COMMIT, when its row exists.
     */
    public static boolean claim(String key, Transfer transfer) {
        return getEntityManager()
                .createNativeQuery("insert into idempotency_key (key, transfer_id, created_at)"
                        + " values (:key, :transfer, :createdAt) on conflict (key) do nothing")
                .setParameter("key", key)
                .setParameter("transfer", transfer.id)
                .setParameter("createdAt", transfer.createdAt)
                // Not a reason to flush the transfer row, which goes out later with the account updates.
                .setFlushMode(FlushModeType.COMMIT)
                .executeUpdate() == 1;
    }
}
