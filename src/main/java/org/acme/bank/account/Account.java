package org.acme.bank.account;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;

import org.acme.bank.Caller;
import org.acme.bank.Money;
import org.hibernate.Session;

/**
 * An account, its balance rules and who may touch it; every balance change goes through {@link #debit} and
 * {@link #credit}, and only the owner debits.
 */
@Entity
public class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The holder's subject: the {@code sub} of their tokens. */
    @Column(nullable = false, length = Caller.MAX_SUBJECT_LENGTH)
    public String owner;

    @Column(nullable = false, precision = 19, scale = 2)
    public BigDecimal balance;

    /** What the account was opened with; the audit recomputes the balance from it and the ledger. */
    @Column(name = "opening_balance", nullable = false, precision = 19, scale = 2, updatable = false)
    public BigDecimal openingBalance;

    @Version
    public long version;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** How many ledger entries the account has: the number of its latest, each side of a transfer being one entry. */
    @Column(nullable = false)
    public long entries;

    /**
     * The account's time: when its latest entry was made, or a later hold placed on it. Its next entry is stamped no
     * earlier, so an account's entries are in time order; and its holds are read as expired or not at no earlier
     * instant, whatever the clock of the instance reading them ({@link #timeOf}), so that no instance counts as
     * reserved a hold that another, whose clock runs ahead, already counted as released and spent.
     */
    @Column(name = "last_entry_at")
    public Instant lastEntryAt;

    /** The sum of its pending holds, expired ones included until the clean-up releases them. */
    @Column(nullable = false, precision = 19, scale = 2)
    public BigDecimal held = Money.ZERO;

    /**
     * What of {@link #held} has expired and is not yet released, read with the account when it holds anything
     * ({@link #readLapsed}): from its expiry instant on, a hold no longer reserves money, clean-up or not.
     */
    @Transient
    public BigDecimal lapsed = Money.ZERO;

    /**
     * What {@link #enter}, {@link #reserve} and the balance rules change: put back when a transaction's later leg is
     * refused, and compared by the batched writer to find the accounts it must write.
     */
    public record Snapshot(BigDecimal balance, long entries, Instant lastEntryAt, BigDecimal held) {
    }

    protected Account() {
    }

    /**
     * A new account for {@code owner} (the caller when null). A customer opens accounts for themselves, with nothing in
     * them; a teller opens them for anyone, with an opening balance: the only way money enters the bank.
     */
    public static Account open(Caller by, String owner, BigDecimal openingBalance) {
        String holder = owner == null ? by.subject() : owner;
        if (!holder.equals(by.subject())) {
            by.require(Caller.Role.TELLER, "Opening an account for someone else");
        }
        if (openingBalance.signum() != 0) {
            by.require(Caller.Role.TELLER, "Opening an account with money in it");
        }
        return open(holder, openingBalance);
    }

    static Account open(String owner, BigDecimal openingBalance) {
        Account account = new Account();
        account.owner = owner;
        account.balance = Money.of(openingBalance);
        account.openingBalance = account.balance;
        account.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return account;
    }

    /**
     * Locks the accounts, lowest id first, with one statement, and reads them outside the session: the batched writer
     * applies a whole batch to them and writes back those it changed with {@link #WRITE_LOCKED}, one statement
     * whatever their number, where the session would load, check and update them one by one.
     */
    public static Map<Long, Account> lockAll(Collection<Long> ids) {
        Map<Long, Account> accounts = new HashMap<>();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("select id, owner, balance, opening_balance, "
                    + "version, created_at, entries, last_entry_at, held from account where id = any (?) order by id"
                    + " for no key update")) {
                lock.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rows = lock.executeQuery()) {
                    while (rows.next()) {
                        Account account = new Account();
                        account.id = rows.getLong(1);
                        account.owner = rows.getString(2);
                        account.balance = rows.getBigDecimal(3);
                        account.openingBalance = rows.getBigDecimal(4);
                        account.version = rows.getLong(5);
                        account.held = rows.getBigDecimal(9);
                        account.createdAt = rows.getTimestamp(6).toInstant();
                        account.entries = rows.getLong(7);
                        Timestamp lastEntryAt = rows.getTimestamp(8);
                        account.lastEntryAt = lastEntryAt == null ? null : lastEntryAt.toInstant();
                        accounts.put(account.id, account);
                    }
                }
            }
        });
        return accounts;
    }

    /**
     * The UPDATE that writes accounts their transaction holds locked (read by {@link #lockAll}, or by a strategy's
     * locking read): their balances, entry counts, times and holds, with their versions bumped as the session would, so
     * that an optimistic transfer that read one before sees it changed. Five array parameters
     * ({@link #bindWritten}); it goes out inside a statement that writes the ledger rows too
     * ({@code Transfer.BOOKING}).
     */
    public static final String WRITE_LOCKED = "update account set balance = changed.balance, entries = changed.entries,"
            + " last_entry_at = changed.last_entry_at, held = changed.held, version = account.version + 1"
            + " from unnest(?::bigint[], ?::numeric[], ?::bigint[], ?::text[]::timestamptz[], ?::numeric[])"
            + " as changed (id, balance, entries, last_entry_at, held) where account.id = changed.id";

    /** Binds the parameters of {@link #WRITE_LOCKED}, from the {@code first}; answers the index after them. */
    public static int bindWritten(Connection connection, PreparedStatement statement, int first,
            Collection<Account> written) throws SQLException {
        statement.setArray(first, connection.createArrayOf("bigint",
                written.stream().map(account -> account.id).toArray(Long[]::new)));
        statement.setArray(first + 1, connection.createArrayOf("numeric",
                written.stream().map(account -> account.balance).toArray(BigDecimal[]::new)));
        statement.setArray(first + 2, connection.createArrayOf("bigint",
                written.stream().map(account -> account.entries).toArray(Long[]::new)));
        // As ISO-8601 text: an instant whatever the time zones of the JVM and the session.
        statement.setArray(first + 3, connection.createArrayOf("text",
                written.stream().map(account -> account.lastEntryAt.toString()).toArray(String[]::new)));
        statement.setArray(first + 4, connection.createArrayOf("numeric",
                written.stream().map(account -> account.held).toArray(BigDecimal[]::new)));
        return first + 5;
    }

    /**
     * Fills in {@link #lapsed} of those accounts that hold anything: what of it has expired by {@code at}, or by the
     * account's last entry if that is later, read by index, one statement for all of them. Every change to an account's
     * holds is made under its row lock (or bumps its version), so read after the accounts it is as current as they
     * are. An account's time never runs behind its last entry: an instance whose clock runs ahead stamped that entry
     * ahead ({@link #entryTime}) and counted the holds expiring before it as released, and spent their money.
     */
    public static void readLapsed(Collection<Account> accounts, Instant at) {
        List<Long> holding = accounts.stream().filter(account -> account.held.signum() > 0)
                .map(account -> account.id).toList();
        if (holding.isEmpty()) {
            return;
        }
        List<?> lapsed = getEntityManager().createNativeQuery("""
                        select h.from_account_id, sum(h.amount) from hold h join account a on a.id = h.from_account_id
                         where h.from_account_id in (:accounts) and h.status = 'pending'
                           and h.expires_at <= greatest(:at, a.last_entry_at)
                         group by h.from_account_id
                        """)
                .setParameter("accounts", holding)
                .setParameter("at", at)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        for (Object row : lapsed) {
            Object[] columns = (Object[]) row;
            long accountId = ((Number) columns[0]).longValue();
            accounts.stream().filter(account -> account.id == accountId).forEach(account ->
                    account.lapsed = (BigDecimal) columns[1]);
        }
    }

    /** Whether the caller may take money out: its owner alone, whatever the roles. */
    public boolean isDebitableBy(Caller caller) {
        return owner.equals(caller.subject());
    }

    /** Whether the caller may read the account: its owner, a teller or an auditor. */
    public boolean isVisibleTo(Caller caller) {
        return isDebitableBy(caller) || caller.readsEverything();
    }

    /**
     * Takes the money out, for the owner alone: no role debits another's account. To anyone else the account does not
     * exist, the same answer as for an id that has none, so that neither existence nor balance leaks.
     */
    public void debit(Caller by, BigDecimal amount) {
        if (!isDebitableBy(by)) {
            throw new AccountNotFoundException(id);
        }
        requireAvailable(amount);
        balance = balance.subtract(amount);
    }

    /** What it can spend: its balance less its pending holds that have not expired. */
    public BigDecimal available() {
        return balance.subtract(held).add(lapsed);
    }

    /**
     * Reserves the amount for a hold, for the owner alone, out of what is available at {@code at} (as
     * {@link #readLapsed} read it); the account's time reaches that instant.
     */
    public void reserve(Caller by, BigDecimal amount, Instant at) {
        if (!isDebitableBy(by)) {
            throw new AccountNotFoundException(id);
        }
        requireAvailable(amount);
        held = held.add(amount);
        reach(at);
    }

    /** Gives back what a hold reserved, when it is posted (whose entry moves the account's time). */
    public void release(BigDecimal amount) {
        held = held.subtract(amount);
    }

    /**
     * Gives back what a hold reserved, when it is voided at {@code at}; the account's time reaches that instant, so
     * that no later entry is stamped, nor any balance read, before the void.
     */
    public void release(BigDecimal amount, Instant at) {
        release(amount);
        reach(at);
    }

    private void reach(Instant at) {
        if (lastEntryAt == null || lastEntryAt.isBefore(at)) {
            lastEntryAt = at;
        }
    }

    /**
     * Takes out money a hold reserved, released first with {@link #release}: the owner authorized it by placing the
     * hold, so whoever may post the hold debits it.
     */
    public void settle(BigDecimal amount) {
        requireAvailable(amount);
        balance = balance.subtract(amount);
    }

    private void requireAvailable(BigDecimal amount) {
        if (available().compareTo(amount) < 0) {
            throw new InsufficientFundsException(id, available(), amount);
        }
    }

    /** The account's time now: this instance's clock, or the account's own time if that is later. */
    public Instant timeOf() {
        return entryTime(List.of(this));
    }

    /**
     * The instant to stamp entries of these accounts with: now, unless one of them has an entry stamped later (by an
     * instance whose clock runs ahead), so that each account's entries stay in time order.
     */
    public static Instant entryTime(Collection<Account> accounts) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (Account account : accounts) {
            if (account.lastEntryAt != null && account.lastEntryAt.isAfter(at)) {
                at = account.lastEntryAt;
            }
        }
        return at;
    }

    /** Numbers the account's next ledger entry, made at {@code at}, and answers its number. */
    public long enter(Instant at) {
        entries++;
        lastEntryAt = at;
        return entries;
    }

    public Snapshot snapshot() {
        return new Snapshot(balance, entries, lastEntryAt, held);
    }

    public void restore(Snapshot snapshot) {
        balance = snapshot.balance();
        entries = snapshot.entries();
        lastEntryAt = snapshot.lastEntryAt();
        held = snapshot.held();
    }

    public void credit(BigDecimal amount) {
        BigDecimal credited = balance.add(amount);
        if (credited.compareTo(Money.LIMIT) >= 0) {
            throw new BalanceLimitExceededException(id);
        }
        balance = credited;
    }
}
