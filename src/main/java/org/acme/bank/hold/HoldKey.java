package org.acme.bank.hold;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.FlushModeType;
import jakarta.persistence.Query;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * A subject's idempotency key for one operation on a hold, claimed first in the transaction that performs it, as a
 * transfer's key is: a twin request waits on the key and then finds it bound.
 */
final class HoldKey {

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
