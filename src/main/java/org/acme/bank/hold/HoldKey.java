package org.acme.bank.hold;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.FlushModeType;
import jakarta.persistence.Query;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * A subject's idempotency key for one operation on a hold, claimed first in the transaction that performs it, as a
 * transfer's key is: a twin request waits on the key and then finds it bound.
 */
public final class HoldKey {

    /** A subject's key for placing the hold {@code holdId}, as a batch claims it. */
    public record Claim(String subject, String key, long holdId) {
    }

    /** What a key was used for. */
    enum Operation {
        PLACE, POST, VOID;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The operation and hold a key stands for. */
    record Bound(Operation operation, long holdId) {
    }

    private HoldKey() {
    }

    /** Binds the key to the operation on the hold, and says whether it did (false: it already stood for one). */
    static boolean claim(String subject, String key, Operation operation, long holdId) {
        return statement("insert into hold_key (key, subject, operation, hold_id) values (:key, :subject, :operation, "
                + ":hold) on conflict (key, subject) do nothing")
                .setParameter("key", key)
                .setParameter("subject", subject)
                .setParameter("operation", operation.label())
                .setParameter("hold", holdId)
                .executeUpdate() == 1;
    }

    /**
     * Binds the keys to the placements of their holds, in key order (as transfers' keys are claimed, so that two batches
     * never wait on each other in a cycle), and answers the holds whose key it bound: the others' keys stood for one
     * already, or for an earlier claim of the same batch.
     */
    public static Set<Long> claimPlacements(Collection<Claim> claims) {
        List<Claim> inKeyOrder = new ArrayList<>(claims);
        inKeyOrder.sort(Comparator.comparing(Claim::key).thenComparing(Claim::subject));
        StringBuilder sql = new StringBuilder("insert into hold_key (key, subject, operation, hold_id) values ");
        for (int i = 0; i < inKeyOrder.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:key").append(i).append(", :subject").append(i)
                    .append(", 'place', :hold").append(i).append(")");
        }
        sql.append(" on conflict (key, subject) do nothing returning hold_id");
        Query insert = statement(sql.toString());
        for (int i = 0; i < inKeyOrder.size(); i++) {
            Claim claim = inKeyOrder.get(i);
            insert.setParameter("key" + i, claim.key()).setParameter("subject" + i, claim.subject())
                    .setParameter("hold" + i, claim.holdId());
        }
        Set<Long> holds = new HashSet<>();
        for (Object id : insert.getResultList()) {
            holds.add(((Number) id).longValue());
        }
        return holds;
    }

    /** Unbinds keys claimed in this transaction for placements that were then refused: their holds are never written. */
    public static void release(Collection<Claim> claims) {
        if (!claims.isEmpty()) {
            statement("delete from hold_key where key in (:keys) and hold_id in (:holds)")
                    .setParameter("keys", claims.stream().map(Claim::key).toList())
                    .setParameter("holds", claims.stream().map(Claim::holdId).toList())
                    .executeUpdate();
        }
    }

    static Optional<Bound> find(String subject, String key) {
        List<?> rows = statement("select operation, hold_id from hold_key where key = :key and subject = :subject")
                .setParameter("key", key)
                .setParameter("subject", subject)
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] columns = (Object[]) row;
            return new Bound(Operation.valueOf(((String) columns[0]).toUpperCase(java.util.Locale.ROOT)),
                    ((Number) columns[1]).longValue());
        });
    }

    private static Query statement(String sql) {
        return Panache.getEntityManager().createNativeQuery(sql).setFlushMode(FlushModeType.COMMIT);
    }
}
