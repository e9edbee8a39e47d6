package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.bank.account.AccountService;

@ApplicationScoped
public class LedgerService {

    /** One statement, one snapshot: the database aggregates, nothing is loaded row by row. */
    private static final String AUDIT_SQL = """
            select count(*),
                   (select count(*) from transfer),
                   coalesce(sum(a.balance), 0),
                   count(*) filter (where a.balance < 0),
                   count(*) filter (where a.balance <> a.opening_balance - coalesce(s.sent, 0) + coalesce(r.received, 0))
              from account a
              left join (select from_account_id as id, sum(amount) as sent from transfer group by from_account_id) s
                     on s.id = a.id
              left join (select to_account_id as id, sum(amount) as received from transfer group by to_account_id) r
                     on r.id = a.id
            """;

    private final EntityManager entityManager;
    private final AccountService accounts;

    LedgerService(EntityManager entityManager, AccountService accounts) {
        this.entityManager = entityManager;
        this.accounts = accounts;
    }

    @Transactional
    public Transfer get(long id) {
        return Transfer.<Transfer>findByIdOptional(id).orElseThrow(() -> new TransferNotFoundException(id));
    }

    /** The transfer written under this idempotency key, if any. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Transfer> findByIdempotencyKey(String key) {
        return IdempotencyKey.<IdempotencyKey>findByIdOptional(key)
                .map(idempotencyKey -> Transfer.<Transfer>findById(idempotencyKey.transferId));
    }

    /** Forgets the keys older than the retention; their transfers stay in the ledger. */
    @Transactional
    public long purgeIdempotencyKeysOlderThan(Duration retention) {
        return IdempotencyKey.delete("createdAt < ?1", Instant.now().minus(retention));
    }

    /** The account's transfers in either direction, newest first. */
    @Transactional
    public List<Transfer> history(long accountId, int page, int size) {
        accounts.requireExists(accountId);
        return Transfer.<Transfer>find("fromAccountId = :id or toAccountId = :id", Sort.descending("id"),
                Map.of("id", accountId)).page(Page.of(page, size)).list();
    }

    @Transactional
    public Audit audit() {
        Object[] row = (Object[]) entityManager.createNativeQuery(AUDIT_SQL).getSingleResult();
        return new Audit(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), (BigDecimal) row[2],
                ((Number) row[3]).longValue(), ((Number) row[4]).longValue());
    }
}
