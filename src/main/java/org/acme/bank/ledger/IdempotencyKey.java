package org.acme.bank.ledger;

import java.io.Serializable;
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
import jakarta.persistence.IdClass;
import jakarta.persistence.Query;
import jakarta.persistence.Table;

import org.acme.bank.Caller;

/**
 * A caller's key for one transfer, written first in the transaction that writes the transfer. Keys are the caller's
 * own: the same string from two subjects is two keys, and neither can replay, block or reveal the other's transfer.
 */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyKey.SubjectKey.class)
public class IdempotencyKey extends PanacheEntityBase {

    /** A key is one subject's string. */
    public record SubjectKey(String key, String subject) implements Serializable {
    }

    @Id
    @Column(length = 255)
    public String key;

    /** The subject whose key it is. */
    @Id
    @Column(length = Caller.MAX_SUBJECT_LENGTH)
    public String subject;

    @Column(name = "transfer_id", nullable = false, updatable = false)
    public long transferId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** A subject's key to bind to the ledger row a transfer will have. */
    public record Claim(String subject, String key, long transferId) {
    }

    protected IdempotencyKey() {
    }

    /**
     * Binds many keys with one statement, in key and subject order, so that two claimers of shared keys take them in
     * the same order and cannot wait on each other in a cycle; as {@link #claim}, each waits for a transaction still
     * holding its key. Returns the transfer ids whose key was bound: a key already bound, or named twice, binds only once.
     */
    public static Set<Long> claimAll(Collection<Claim> claims, Instant createdAt) {
        List<Claim> inKeyOrder = new ArrayList<>(claims);
        inKeyOrder.sort(Comparator.comparing(Claim::key).thenComparing(Claim::subject));
        StringBuilder sql = new StringBuilder(
                "insert into idempotency_key (key, subject, transfer_id, created_at) values ");
        for (int i = 0; i < inKeyOrder.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:key").append(i).append(", :subject").append(i).append(", :id")
                    .append(i).append(", :at)");
        }
        sql.append(" on conflict (key, subject) do nothing returning transfer_id");
        Query insert = Transfer.statement(sql.toString()).setParameter("at", createdAt);
        for (int i = 0; i < inKeyOrder.size(); i++) {
            Claim claim = inKeyOrder.get(i);
            insert.setParameter("key" + i, claim.key()).setParameter("subject" + i, claim.subject())
                    .setParameter("id" + i, claim.transferId());
        }
        Set<Long> bound = new HashSet<>();
        for (Object id : insert.getResultList()) {
            bound.add(((Number) id).longValue());
        }
        return bound;
    }

    /**
     * Unbinds keys claimed in this transaction for transfers that were then refused: their rows are never written. The
     * strings find the rows by the primary key's leading column; the transfer ids pick out each subject's.
     */
    public static void release(Collection<Claim> claims) {
        if (!claims.isEmpty()) {
            Transfer.statement("delete from idempotency_key where key in (:keys) and transfer_id in (:ids)")
                    .setParameter("keys", claims.stream().map(Claim::key).toList())
                    .setParameter("ids", claims.stream().map(Claim::transferId).toList())
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
    public static boolean claim(String subject, String key, Transfer transfer) {
        // Not a reason to flush the transfer row, which goes out later with the account updates.
        return Transfer.statement("insert into idempotency_key (key, subject, transfer_id, created_at)"
                        + " values (:key, :subject, :transfer, :createdAt) on conflict (key, subject) do nothing")
                .setParameter("key", key)
                .setParameter("subject", subject)
                .setParameter("transfer", transfer.id)
                .setParameter("createdAt", transfer.createdAt)
                .executeUpdate() == 1;
    }
}
