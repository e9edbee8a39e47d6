package org.acme.bank.transfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.bank.SqlStates;
import org.acme.bank.config.BankConfig;

/**
 * Settles a transaction whose COMMIT failed after every statement had run (or with the last one, sent with it, when no
 * answer said the statement failed): the COMMIT may still have happened, or may still be happening. One look-up
 * answers for the whole transaction (a batch committed all its members or none).
 * <p>
 * The look-up first reads the transaction's accounts {@code FOR SHARE}, which conflicts with the
 * {@code FOR NO KEY UPDATE} locks and UPDATEs the transaction holds until it has ended, so it waits for a COMMIT that
 * is still under way (with a synchronous standby, PostgreSQL keeps a commit invisible, its locks held, until the
 * standby confirms it; {@code FOR KEY SHARE} would not wait). Then a fresh snapshot reads the ledger. The wait is
 * bounded by the connection's lock timeout; a transaction still undecided then, or a database that cannot be asked
 * before the deadline, is {@link TransferOutcomeUnknownException}.
 */
@ApplicationScoped
public class LostCommitLookup {

    /** Look-ups of the ledger before the outcome is called unknown. */
    private static final int LOOKUPS = 3;
    /** The first pause between two look-ups, time for the pool to drop its broken connections; then longer. */
    private static final Duration LOOKUP_PAUSE = Duration.ofMillis(100);

    private final EntityManager entityManager;
    private final ConfirmedCommit confirmedCommit;
    private final AgroalDataSource pool;
    /** Every look-up of one transaction starts within this long of the first. */
    private final Duration deadline;

    LostCommitLookup(EntityManager entityManager, ConfirmedCommit confirmedCommit, AgroalDataSource pool,
            BankConfig config) {
        this.entityManager = entityManager;
        this.confirmedCommit = confirmedCommit;
        this.pool = pool;
        this.deadline = config.transfer().lockTimeout();
    }

    /**
     * Whether the transaction that wrote the ledger rows {@code transferIds}, touching {@code accountIds}, committed
     * although its COMMIT failed with {@code commitFailure}. A fault that broke one connection has often broken the
     * pool's idle ones too (a database restart), so a look-up that fails has the pool drop its invalid connections
     * and is tried again, while the deadline allows.
     *
     * @throws TransferOutcomeUnknownException when the outcome cannot be known in time; it names {@code reported}
     */
    public boolean committed(Collection<Long> transferIds, Collection<Long> accountIds, RuntimeException commitFailure,
            Long reported) {
        return committed(accountIds, () -> ((Number) entityManager
                .createNativeQuery("select count(*) from transfer where id in (:ids)")
                .setParameter("ids", transferIds)
                .getSingleResult()).longValue() > 0, commitFailure, reported);
    }

    /**
     * Whether a transaction on {@code accountIds} whose COMMIT failed with {@code commitFailure} committed, as
     * {@code written} tells by reading what it wrote (in a transaction of the look-up's, once the accounts' locks are
     * free): how holds, which write no ledger row when placed or voided, settle their COMMITs.
     *
     * @throws TransferOutcomeUnknownException when the outcome cannot be known in time; it names {@code reported}
     */
    public boolean committed(Collection<Long> accountIds, BooleanSupplier written, RuntimeException commitFailure,
            Long reported) {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        List<RuntimeException> lookupFailures = new ArrayList<>();
        for (int lookup = 1;; lookup++) {
            long millisLeft = TimeUnit.NANOSECONDS.toMillis(giveUpAt - System.nanoTime());
            if (millisLeft <= 0) {
                throw unknown(reported, "The database stopped answering while the transfer was being committed",
                        commitFailure, lookupFailures);
            }
            try {
                return QuarkusTransaction.requiringNew().call(() -> lookUp(accountIds, written, millisLeft, reported));
            } catch (TransferOutcomeUnknownException unconfirmed) {
                throw unconfirmed;
            } catch (RuntimeException lookupFailure) {
                lookupFailures.add(lookupFailure);
                if (TransferFailures.isLockTimeout(lookupFailure) || SqlStates.of(lookupFailure)
                        .filter(SqlStates.QUERY_CANCELED::equals).isPresent()) {
                    throw unknown(reported, "The COMMIT got no answer and was still undecided after the lock timeout",
                            commitFailure, lookupFailures);
                }
                if (lookup == LOOKUPS) {
                    throw unknown(reported, "The database stopped answering while the transfer was being committed",
                            commitFailure, lookupFailures);
                }
            }
            pool.flush(AgroalDataSource.FlushMode.INVALID);
            if (!Pause.sleep(LOOKUP_PAUSE.multipliedBy(lookup))) {
                throw unknown(reported, "The service was interrupted while it asked the ledger about a COMMIT without "
                        + "answer", commitFailure, lookupFailures);
            }
        }
    }

    /**
     * The whole look-up, its waits for locks included, ends by the deadline: {@code statement_timeout} bounds each
     * statement, {@code lock_timeout} (set on every connection) each lock.
     * <p>
     * A transfer found may have committed on this primary alone (its backend was stopped while it waited for the
     * standby, which makes PostgreSQL keep the commit). The share locks were written to the WAL, so the look-up's own
     * COMMIT, through {@link ConfirmedCommit}, waits for the standby like any that wrote: WAL reaches the standby in
     * order, so once it confirms this commit it has the transfer's too.
     */
    private boolean lookUp(Collection<Long> accountIds, BooleanSupplier written, long millisLeft, Long reported) {
        entityManager.createNativeQuery("select set_config('statement_timeout', :timeout, true)")
                .setParameter("timeout", millisLeft + "ms")
                .getSingleResult();
        entityManager.createNativeQuery("select id from account where id in (:accounts) order by id for share")
                .setParameter("accounts", accountIds)
                .getResultList();
        if (!written.getAsBoolean()) {
            return false;
        }
        confirmedCommit.commit(reported);
        return true;
    }

    /** The look-ups' own failures go with the answer, not into the COMMIT's failure, whose SQLSTATE they would hide. */
    private static TransferOutcomeUnknownException unknown(Long reported, String why, RuntimeException commitFailure,
            List<RuntimeException> lookupFailures) {
        TransferOutcomeUnknownException unknown = new TransferOutcomeUnknownException(reported, why, commitFailure);
        lookupFailures.forEach(unknown::addSuppressed);
        return unknown;
    }
}
