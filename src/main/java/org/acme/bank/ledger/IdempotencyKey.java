package org.acme.bank.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Query;
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

    /** A key to bind to the ledger row a transfer will have. */
    public record Claim(String key, long transferId) {
    }

    protected IdempotencyKey() {
    }

    /**
     * Binds many keys with one statement, in key order, so that two claimers of shared keys take them in the same
     * order and cannot wait on each other in a cycle; as {@link #claim}, each waits for a transaction still holding
     * its key. Returns the transfer ids whose key was bound: a key already bound, or named twice, binds only once.
     */
    public static Set<Long> claimAll(Collection<Claim> claims, Instant createdAt) {
        List<Claim> inKeyOrder = new ArrayList<>(claims);
        inKeyOrder.sort(Comparator.comparing(Claim::key));
        StringBuilder sql = new StringBuilder("insert into idempotency_key (key, transfer_id, created_at) values ");
        for (int i = 0; i < inKeyOrder.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:key").append(i).append(", :id").append(i).append(", :at)");
        }
        sql.append(" on conflict (key) do nothing returning transfer_id");
        Query insert = Transfer.statement(sql.toString()).setParameter("at", createdAt);
        for (int i = 0; i < inKeyOrder.size(); i++) {
            insert.setParameter("key" + i, inKeyOrder.get(i).key()).setParameter("id" + i, inKeyOrder.get(i).transferId());
        }
        Set<Long> bound = new HashSet<>();
        for (Object id : insert.getResultList()) {
            bound.add(((Number) id).longValue());
        }
        return bound;
    }

    /** Unbinds keys claimed in this transaction for transfers that were then refused: their rows are never written. */
    public static void release(Collection<String> keys) {
        if (!keys.isEmpty()) {
            Transfer.statement("delete from idempotency_key where key in (:keys)").setParameter("keys", keys)
                    .executeUpdate();
        }
    }

    /**
     * Binds the key to the transfer about to be written, as the first statement of its transaction, and says whether
     * it did. A twin request still in flight under the same key makes this wait for the twin's COMMIT or ROLLBACK:
     * after a COMMIT the key stands for the twin's transfer and nothing is written (false); after a ROLLBACK the key
     * is free. Twins therefore queue on the key and never on the accounts. The reference to the transfer is checked
     * at COMMIT, when its row exists.
     */
    public static boolean claim(String key, Transfer transfer) {
        // Not a reason to flush the transfer row, which goes out later with the account updates.
        return Transfer.statement("insert into idempotency_key (key, transfer_id, created_at)"
                        + " values (:key, :transfer, :createdAt) on conflict (key) do nothing")
                .setParameter("key", key)
                .setParameter("transfer", transfer.id)
                .setParameter("createdAt", transfer.createdAt)
                .executeUpdate() == 1;
    }
}
