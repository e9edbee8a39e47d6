package org.acme.bank.hold;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;
import org.hibernate.Session;

/**
 * Money reserved on the sender's account for the receiver: pending until it is posted (in full or in part, as a
 * transfer), voided, or it expires; resolved once. While pending, its amount counts in the sender's
 * {@link Account#held}.
 */
@Entity
@Table(name = "hold")
public class Hold extends PanacheEntityBase {

    /** Drawn with {@link #nextId} before anything is written, so that an idempotency key can name it first. */
    @Id
    public Long id;

    @Column(name = "from_account_id", nullable = false, updatable = false)
    public long fromAccountId;

    @Column(name = "to_account_id", nullable = false, updatable = false)
    public long toAccountId;

    @Column(nullable = false, precision = 19, scale = 2, updatable = false)
    public BigDecimal amount;

    /** The strategy that placed it. */
    @Column(nullable = false, length = 20, updatable = false)
    public String strategy;

    @Column(nullable = false, length = 10)
    public HoldStatus status;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    public Instant expiresAt;

    /** When it left pending: posted, voided, or (for an expired hold) its expiry instant. */
    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "posted_amount", precision = 19, scale = 2)
    public BigDecimal postedAmount;

    /** The transfer that posted it. */
    @Column(name = "transfer_id")
    public Long transferId;

    protected Hold() {
    }

    /**
     * Reserves what the command asks on its sender, among {@code accounts} (those its strategy got hold of, by id, their
     * lapsed holds read at {@code at}), and answers the hold, not yet written, under {@code id}. A sender missing or
     * not the caller's, or a receiver missing, is not found, the sender first: to anyone but its owner an account
     * is as absent as one that does not exist, whatever the receiver.
     */
    public static Hold place(long id, HoldCommand command, String strategy, Map<Long, Account> accounts, Instant at) {
        Account sender = accounts.get(command.from());
        if (sender == null || !sender.isDebitableBy(command.caller())) {
            throw new AccountNotFoundException(command.from());
        }
        if (!accounts.containsKey(command.to())) {
            throw new AccountNotFoundException(command.to());
        }
        sender.reserve(command.caller(), command.amount(), at);
        return placed(id, command, strategy, at);
    }

    private static Hold placed(long id, HoldCommand command, String strategy, Instant at) {
        Hold hold = new Hold();
        hold.id = id;
        hold.fromAccountId = command.from();
        hold.toAccountId = command.to();
        hold.amount = command.amount();
        hold.strategy = strategy;
        hold.status = HoldStatus.PENDING;
        hold.createdAt = at;
        hold.expiresAt = at.plus(command.expiresIn());
        return hold;
    }

    /**
     * Inserts holds made by {@link #place} in one batch, which share their strategy and instant, with one statement
     * whatever their number, outside the session: like the batch's ledger rows ({@code Transfer.insertAll}), and sent
     * before its COMMIT, so that a failure here is no lost COMMIT.
     */
    public static void insertAll(List<Hold> placed) {
        if (placed.isEmpty()) {
            return;
        }
        Hold first = placed.get(0);
        Long[] ids = placed.stream().map(hold -> hold.id).toArray(Long[]::new);
        Long[] senders = placed.stream().map(hold -> hold.fromAccountId).toArray(Long[]::new);
        Long[] receivers = placed.stream().map(hold -> hold.toAccountId).toArray(Long[]::new);
        BigDecimal[] amounts = placed.stream().map(hold -> hold.amount).toArray(BigDecimal[]::new);
        // As ISO-8601 text: an instant whatever the time zones of the JVM and the session.
        String[] expiries = placed.stream().map(hold -> hold.expiresAt.toString()).toArray(String[]::new);
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into hold (id, from_account_id,"
                    + " to_account_id, amount, strategy, status, created_at, expires_at)"
                    + " select id, from_account_id, to_account_id, amount, ?, ?, ?::text::timestamptz, expires_at"
                    + " from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[], ?::text[]::timestamptz[])"
                    + " as placed (id, from_account_id, to_account_id, amount, expires_at)")) {
                insert.setString(1, first.strategy);
                insert.setString(2, HoldStatus.PENDING.label());
                insert.setString(3, first.createdAt.toString());
                insert.setArray(4, connection.createArrayOf("bigint", ids));
                insert.setArray(5, connection.createArrayOf("bigint", senders));
                insert.setArray(6, connection.createArrayOf("bigint", receivers));
                insert.setArray(7, connection.createArrayOf("numeric", amounts));
                insert.setArray(8, connection.createArrayOf("text", expiries));
                insert.executeUpdate();
            }
        });
    }

    static long nextId() {
        return nextIds(1).get(0);
    }

    /** Ids for holds about to be placed, in one round trip. */
    public static List<Long> nextIds(int count) {
        List<?> ids = getEntityManager()
                .createNativeQuery("select nextval('hold_id_seq') from generate_series(1, :count)")
                .setParameter("count", count)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        return ids.stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** Whether it is what the command, run by that strategy, placed: a key's repeat must ask for the same hold. */
    boolean isPlacedBy(HoldCommand command, String strategyName) {
        return fromAccountId == command.from() && toAccountId == command.to()
                && amount.compareTo(command.amount()) == 0 && strategy.equals(strategyName)
                && Duration.between(createdAt, expiresAt).equals(command.expiresIn());
    }

    /** Its two accounts, sender first. */
    List<Long> accounts() {
        return List.of(fromAccountId, toAccountId);
    }

    /** Its status at that instant: a pending hold past its expiry is expired, whether or not the clean-up has run. */
    public HoldStatus statusAt(Instant at) {
        return status == HoldStatus.PENDING && !at.isBefore(expiresAt) ? HoldStatus.EXPIRED : status;
    }

    /** Refuses to resolve it again: it must still be pending at that instant. */
    void requirePending(Instant at) {
        HoldStatus now = statusAt(at);
        if (now != HoldStatus.PENDING) {
            throw new HoldResolvedException(id, now);
        }
    }

    void posted(Instant at, BigDecimal posted, long transfer) {
        status = HoldStatus.POSTED;
        resolvedAt = at;
        postedAmount = posted;
        transferId = transfer;
    }

    void voided(Instant at) {
        status = HoldStatus.VOIDED;
        resolvedAt = at;
    }
}
