package org.acme.bank.ledger;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.bank.Caller;
import org.acme.bank.account.Account;
import org.acme.bank.account.AccountService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an account held at a past instant, and its entries between two, read from the running balances by index: the
 * last entry before an instant gives the balance then, whatever the size of the ledger. An account's entries are in
 * time order (the service stamps them so), so its entries of a period are a range of entry numbers.
 */
@ApplicationScoped
public class Statements {

    /** A balance at an instant, and what of it was available (not reserved by a hold pending then). */
    @RegisterForReflection
    public record BalanceAsOf(
            @Schema(example = "975.00") BigDecimal balance,
            @Schema(description = "The balance less the holds pending at that instant", example = "950.00")
            BigDecimal available,
            @Schema(example = "2026-11-30T23:59:59Z") Instant asOf) {
    }

    /** One entry of an account: a side of a transfer, signed (negative when the account sent), and the balance after. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            @Schema(description = "Its place in the account's entries: 1, 2, 3, ... in the order they were made",
                    example = "42") long entry,
            @Schema(description = "The transfer it is a side of (GET /transfers/{transferId})", example = "1042")
            long transferId,
            @Schema(example = "2026-11-22T08:00:00.123456Z") Instant createdAt,
            @Schema(description = "The other account of the transfer", example = "2") long counterparty,
            @Schema(description = "Negative when the account sent it", example = "-25.00") BigDecimal amount,
            @Schema(description = "The account's balance after it", example = "975.00") BigDecimal balanceAfter,
            @Schema(description = "The transaction the transfer is a leg of; absent for a transfer of its own",
                    example = "1040") Long transactionId) {
    }

    /**
     * The account's entries made in {@code [from, to)}, after entry {@code after}, at most a page of them; the balance
     * before the period's first entry, and after its last.
     */
    @RegisterForReflection
    public record Statement(
            @Schema(example = "1") long account,
            @Schema(description = "The period's start, included", example = "2026-11-01T00:00:00Z") Instant from,
            @Schema(description = "The period's end, excluded", example = "2026-12-01T00:00:00Z") Instant to,
            @Schema(description = "The balance before the period's first entry", example = "1000.00")
            BigDecimal openingBalance,
            @Schema(description = "The balance after the period's last entry", example = "975.00")
            BigDecimal closingBalance,
            @Schema(description = "One page of the period's entries, in order") List<Entry> entries) {
    }

    /** The account's last entry made before an instant: its number and the balance after it. */
    private static final String LAST_ENTRY_BEFORE = """
            select entry, balance from (
                (select from_entry as entry, from_balance_after as balance from transfer
                  where from_account_id = :account and created_at < :before and from_entry is not null
                  order by created_at desc, from_entry desc limit 1)
                union all
                (select to_entry, to_balance_after from transfer
                  where to_account_id = :account and created_at < :before and to_entry is not null
                  order by created_at desc, to_entry desc limit 1)
            ) as last
            order by entry desc limit 1
            """;

    /** What holds reserved on the account at an instant: placed by then, neither resolved nor expired by then. */
    private static final String HELD_AT = """
            select coalesce(sum(amount), 0) from hold
             where from_account_id = :account and created_at <= :at and expires_at > :at
               and (resolved_at is null or resolved_at > :at)
            """;

    /** A range of the account's entries, in order, each direction from its own index. */
    private static final String ENTRIES = """
            select * from (
                (select from_entry as entry, id, created_at, to_account_id as counterparty, -amount as amount,
                        from_balance_after as balance_after, transaction_id
                   from transfer where from_account_id = :account and from_entry > :after and from_entry <= :last
                  order by from_entry limit :size)
                union all
                (select to_entry, id, created_at, from_account_id, amount, to_balance_after, transaction_id
                   from transfer where to_account_id = :account and to_entry > :after and to_entry <= :last
                  order by to_entry limit :size)
            ) as entries
            order by entry limit :size
            """;

    private final EntityManager entityManager;
    private final AccountService accounts;

    Statements(EntityManager entityManager, AccountService accounts) {
        this.entityManager = entityManager;
        this.accounts = accounts;
    }

    /**
     * The balance and what was available at {@code asOf}, after every entry made at or before it; for those who may
     * see the account, at an instant from its opening to now (now when null).
     */
    @Transactional
    public BalanceAsOf balanceAsOf(Caller caller, long accountId, Instant asOf) {
        Account account = accounts.get(caller, accountId);
        Instant at = asOf == null ? now(account) : asOf;
        requireWithinLife(account, at, "asOf");
        BigDecimal balance = lastEntryBefore(account, at.plus(1, ChronoUnit.MICROS)).balance();
        BigDecimal held = (BigDecimal) entityManager.createNativeQuery(HELD_AT)
                .setParameter("account", accountId)
                .setParameter("at", at)
                .getSingleResult();
        return new BalanceAsOf(balance, balance.subtract(held), at);
    }

    /** The account's statement of {@code [from, to)}, one page of entries after entry {@code after}. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Statement statement(Caller caller, long accountId, Instant from, Instant to, long after, int size) {
        Account account = accounts.get(caller, accountId);
        Instant start = from == null ? account.createdAt : from;
        Instant end = to == null ? now(account).plus(1, ChronoUnit.MICROS) : to;
        if (start.isAfter(end)) {
            throw new InvalidPeriodException("from", "must be before to");
        }
        Last opening = lastEntryBefore(account, start);
        Last closing = lastEntryBefore(account, end);
        List<Object[]> rows = entityManager.createNativeQuery(ENTRIES)
                .setParameter("account", accountId)
                .setParameter("after", Math.max(after, opening.entry()))
                .setParameter("last", closing.entry())
                .setParameter("size", size)
                .getResultList();
        List<Entry> entries = rows.stream().map(row -> new Entry(((Number) row[0]).longValue(),
                ((Number) row[1]).longValue(), instant(row[2]), ((Number) row[3]).longValue(), (BigDecimal) row[4],
                (BigDecimal) row[5], row[6] == null ? null : ((Number) row[6]).longValue())).toList();
        return new Statement(accountId, start, end, opening.balance(), closing.balance(), entries);
    }

    private record Last(long entry, BigDecimal balance) {
    }

    /** The last entry made before the instant, or none yet: entry 0, the opening balance. */
    private Last lastEntryBefore(Account account, Instant before) {
        List<?> last = entityManager.createNativeQuery(LAST_ENTRY_BEFORE)
                .setParameter("account", account.id)
                .setParameter("before", before)
                .getResultList();
        if (last.isEmpty()) {
            return new Last(0, account.openingBalance);
        }
        Object[] row = (Object[]) last.get(0);
        return new Last(((Number) row[0]).longValue(), (BigDecimal) row[1]);
    }

    /**
     * Now, by the account's time: never before its opening nor its last entry, which an instance whose clock runs
     * ahead may have stamped later than this instance's clock says it is.
     */
    private static Instant now(Account account) {
        Instant now = account.timeOf();
        return now.isBefore(account.createdAt) ? account.createdAt : now;
    }

    private static void requireWithinLife(Account account, Instant at, String field) {
        if (at.isBefore(account.createdAt)) {
            throw new InvalidPeriodException(field, "is before the account was opened (" + account.createdAt + ")");
        }
        if (at.isAfter(now(account))) {
            throw new InvalidPeriodException(field, "is in the future");
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
