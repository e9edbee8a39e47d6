package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.acme.bank.Caller;
import org.acme.bank.SqlStates;
import org.acme.bank.config.BankConfig;

/**
 * The books, checked by one statement. Each ledger entry carries its account's balance after it, so an account is
 * verified by walking its entries in order from a point already verified: its checkpoint. The incremental audit walks
 * only what came after each account's checkpoint (found by index), and moves the checkpoint of every account it found
 * in order; its cost follows the entries made since, not the size of the ledger. The full re-check reads the whole
 * ledger: every running balance from each opening balance, and every balance as opening minus sent plus received. Both
 * check the holds and every account's balance, and advance the checkpoints of accounts found right.
 */
@ApplicationScoped
public class AuditService {

    /** Rows without running balances (plain SQL), their accounts, and the holds check: shared by both scopes. */
    private static final String COMMON = """
            unsequenced_rows as (select from_account_id, to_account_id from transfer where from_entry is null),
            unsequenced as (select from_account_id as account_id from unsequenced_rows
                            union select to_account_id from unsequenced_rows),
            pending as (select h.from_account_id as account_id, sum(h.amount) as held,
                               coalesce(sum(h.amount) filter (where h.expires_at > greatest(now(), a.last_entry_at)), 0)
                                   as reserved
                          from hold h join account a on a.id = h.from_account_id
                         where h.status = 'pending' group by h.from_account_id),
            holds as (select count(*) filter (where a.held <> coalesce(p.held, 0)) as mismatched,
                             count(*) filter (where a.balance < coalesce(p.reserved, 0)) as negative_available
                        from account a left join pending p on p.account_id = a.id),
            """;

    /**
     * Moves the checkpoint of each account found in order: no entry broke its running balance, and the last one
     * explains its balance and entry count.
     */
    private static final String ADVANCE = """
            advanced as (insert into audit_checkpoint (account_id, entry, balance, checked_at)
                         select id, entries, balance, now() from verdicts
                          where broken = 0 and not mismatched
                         on conflict (account_id) do update
                            set entry = excluded.entry, balance = excluded.balance, checked_at = excluded.checked_at
                          where audit_checkpoint.entry <= excluded.entry)
            """;

    /** Accounts whose entries or balance moved since their checkpoint (opening, if none), and those entries alone. */
    private static final String INCREMENTAL = "with " + COMMON + """
            changed as (select a.id, a.balance, a.entries, coalesce(c.entry, 0) as checked_entry,
                               coalesce(c.balance, a.opening_balance) as checked_balance
                          from account a left join audit_checkpoint c on c.account_id = a.id
                         where (a.entries <> coalesce(c.entry, 0) or a.balance <> coalesce(c.balance, a.opening_balance))
                           and a.id not in (select account_id from unsequenced)),
            entries as (select ch.id as account_id, e.entry, e.delta, e.after, ch.checked_entry, ch.checked_balance
                          from changed ch cross join lateral (
                               select from_entry as entry, -amount as delta, from_balance_after as after
                                 from transfer where from_account_id = ch.id and from_entry > ch.checked_entry
                               union all
                               select to_entry, amount, to_balance_after
                                 from transfer where to_account_id = ch.id and to_entry > ch.checked_entry) as e),
            chained as (select account_id, entry, after, lead(entry) over running is null as last,
                               after <> coalesce(lag(after) over running, checked_balance) + delta
                                 or entry <> coalesce(lag(entry) over running, checked_entry) + 1 as broken
                          from entries
                        window running as (partition by account_id order by entry)),
            verdicts as (select ch.id, ch.balance, ch.entries, count(c.entry) as checked,
                                count(*) filter (where c.broken) as broken,
                                coalesce(max(c.entry) filter (where c.last), ch.checked_entry) <> ch.entries
                                  or coalesce(max(c.after) filter (where c.last), ch.checked_balance) <> ch.balance
                                  as mismatched
                           from changed ch left join chained c on c.account_id = ch.id
                          group by ch.id, ch.balance, ch.entries, ch.checked_entry, ch.checked_balance),
            """ + ADVANCE + """
            select 'incremental', count(*), coalesce(sum(a.entries), 0) / 2 + (select count(*) from unsequenced_rows),
                   coalesce(sum(a.balance), 0), count(*) filter (where a.balance < 0),
                   (select count(*) from verdicts where mismatched),
                   (select coalesce(sum(checked), 0) from verdicts), (select coalesce(sum(broken), 0) from verdicts),
                   (select count(*) from unsequenced_rows),
                   (select mismatched from holds), (select negative_available from holds)
              from account a
            """;

    /** Every entry of every account, and every balance as opening minus sent plus received. */
    private static final String FULL = "with " + COMMON + """
            sides as (select from_account_id as account_id, from_entry as entry, -amount as delta,
                             from_balance_after as after
                        from transfer where from_entry is not null
                      union all
                      select to_account_id, to_entry, amount, to_balance_after from transfer where to_entry is not null),
            chained as (select s.account_id, s.entry, s.after, lead(s.entry) over running is null as last,
                               s.after <> coalesce(lag(s.after) over running, a.opening_balance) + s.delta
                                 or s.entry <> coalesce(lag(s.entry) over running, 0) + 1 as broken
                          from sides s join account a on a.id = s.account_id
                         where s.account_id not in (select account_id from unsequenced)
                        window running as (partition by s.account_id order by s.entry)),
            chain_ends as (select account_id, count(*) as checked, count(*) filter (where broken) as broken,
                                  max(entry) filter (where last) as last_entry,
                                  max(after) filter (where last) as last_balance
                             from chained group by account_id),
            sent as (select from_account_id as id, sum(amount) as amount from transfer group by from_account_id),
            received as (select to_account_id as id, sum(amount) as amount from transfer group by to_account_id),
            verdicts as (select a.id, a.balance, a.entries, coalesce(e.checked, 0) as checked,
                                coalesce(e.broken, 0) as broken,
                                a.balance <> a.opening_balance - coalesce(s.amount, 0) + coalesce(r.amount, 0)
                                  or a.id not in (select account_id from unsequenced)
                                     and (coalesce(e.last_entry, 0) <> a.entries
                                          or coalesce(e.last_balance, a.opening_balance) <> a.balance) as mismatched
                           from account a
                           left join sent s on s.id = a.id
                           left join received r on r.id = a.id
                           left join chain_ends e on e.account_id = a.id),
            """ + ADVANCE.replace("where broken = 0", "where id not in (select account_id from unsequenced)\n"
                    + "                            and broken = 0") + """
            select 'full', count(*), (select count(*) from transfer), coalesce(sum(balance), 0),
                   count(*) filter (where balance < 0), count(*) filter (where mismatched),
                   coalesce(sum(checked), 0), coalesce(sum(broken), 0), (select count(*) from unsequenced_rows),
                   (select mismatched from holds), (select negative_available from holds)
              from verdicts
            """;

    private final EntityManager entityManager;
    private final BankConfig.AuditSettings settings;
    /** One audit at a time per instance: a burst of audits must not take the connections transfers need. */
    private final Semaphore auditRunning = new Semaphore(1);

    AuditService(EntityManager entityManager, BankConfig config) {
        this.entityManager = entityManager;
        this.settings = config.audit();
    }

    /**
     * The books, incrementally or (full) all of them, for auditors alone. One at a time, under its own statement
     * timeout ({@code bank.audit.timeout}, or {@code bank.audit.full-timeout}); past either bound it is refused
     * rather than left to hold a connection that transfers need.
     */
    public Audit audit(Caller caller, boolean full) {
        caller.require(Caller.Role.AUDITOR, "The audit");
        if (!auditRunning.tryAcquire()) {
            throw new AuditUnavailableException("Another audit is running; try again after Retry-After");
        }
        Duration timeout = full ? settings.fullTimeout() : settings.timeout();
        try {
            // The transaction outlives the statement's timeout, which is the one that ends an audit: the transaction
            // manager's default (60 s) would abort a full audit of a large ledger long before bank.audit.full-timeout.
            int transactionSeconds = (int) timeout.plusSeconds(10).toSeconds();
            return QuarkusTransaction.requiringNew().timeout(transactionSeconds).call(() -> {
                // Without JIT: compiling the statement took 1.5 s of an incremental audit that has nothing to do.
                entityManager.createNativeQuery("select set_config('statement_timeout', :timeout, true), "
                                + "set_config('jit', 'off', true)")
                        .setParameter("timeout", timeout.toMillis() + "ms")
                        .getSingleResult();
                Object[] row = (Object[]) entityManager.createNativeQuery(full ? FULL : INCREMENTAL)
                        .getSingleResult();
                return new Audit((String) row[0], count(row[1]), count(row[2]), (BigDecimal) row[3], count(row[4]),
                        count(row[5]), count(row[6]), count(row[7]), count(row[8]), count(row[9]), count(row[10]));
            });
        } catch (RuntimeException failure) {
            if (SqlStates.of(failure).filter(SqlStates.QUERY_CANCELED::equals).isPresent()) {
                throw new AuditUnavailableException("The audit took longer than " + (full ? "bank.audit.full-timeout"
                        : "bank.audit.timeout") + " (" + timeout.toMillis() + " ms) and was cancelled"
                        + (full ? "" : "; a full re-check (full=true) sets every account's checkpoint"));
            }
            throw failure;
        } finally {
            auditRunning.release();
        }
    }

    private static long count(Object value) {
        return ((Number) value).longValue();
    }
}
