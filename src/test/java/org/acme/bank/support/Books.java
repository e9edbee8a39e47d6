package org.acme.bank.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;

/**
 * Holds the books to what the clients were told: money conserved, no negative balance, every balance the opening one
 * moved by exactly the transfers answered as done. Through the API ({@link #assertBalanced}), or, when every transfer
 * carried a key, row by row in the database ({@link #assertLedgerMatches}).
 */
public final class Books {

    private record Booked(long id, long from, long to, BigDecimal amount) {
    }

    private Books() {
    }

    /**
     * Read through the API: every balance what the successful transfers imply, as many history rows as successes,
     * and the service's own audit consistent.
     */
    public static void assertBalanced(Bank bank, Map<Long, BigDecimal> opening, List<Answer> answers) {
        Map<Long, BigDecimal> balances = new HashMap<>();
        int historyRows = 0;
        for (Long account : opening.keySet()) {
            balances.put(account, bank.balance(account));
            historyRows += bank.transferCount(account);
        }
        assertBalancesExplained(opening, answers, balances);
        // Each transfer appears in the history of both of its accounts.
        assertEquals(successes(answers) * 2, historyRows, "ledger rows do not match the successful transfers");
        assertAuditConsistent(bank);
    }

    /**
     * The service's own audit, incremental and full: no negative balance or available, every balance explained by the
     * ledger, every running balance in order, every account's held its pending holds.
     */
    public static void assertAuditConsistent(Bank bank) {
        for (JsonNode audit : List.of(bank.audit(), bank.getJson("/audit?full=true"))) {
            for (String count : List.of("negativeBalances", "mismatchedAccounts", "brokenRunningBalances",
                    "heldMismatches", "negativeAvailable")) {
                assertEquals(0, audit.get(count).asLong(), count + ": " + audit);
            }
        }
    }

    /**
     * Read in the database, for runs whose every transfer carried an Idempotency-Key: each transfer answered as done
     * is in the ledger exactly as asked, under the id it was answered with; none answered as failed is; no other row
     * touches the accounts; the balances are explained.
     */
    public static void assertLedgerMatches(Connection db, Map<Long, BigDecimal> opening, List<Answer> answers)
            throws SQLException {
        Long[] accounts = opening.keySet().toArray(Long[]::new);
        Map<String, Booked> booked = bookedByKey(db, accounts);
        for (Answer answer : answers) {
            Transfer asked = answer.transfer();
            Booked row = booked.get(asked.key());
            if (answer.succeeded()) {
                assertNotNull(row, "answered " + answer.summary() + " but not in the ledger: " + asked);
                assertEquals(answer.transferId(), row.id(), "the ledger holds another transfer under this key");
                assertEquals(new Booked(row.id(), asked.from(), asked.to(), asked.amount()), row,
                        "the ledger row differs from the request");
            } else {
                assertNull(row, "answered " + answer.summary() + " but booked anyway: " + asked);
            }
        }
        long successes = successes(answers);
        assertEquals(successes, booked.size(), "the ledger holds transfers no client was told of");
        assertEquals(successes, ledgerRows(db, accounts), "ledger rows without an idempotency key appeared");
        assertBalancesExplained(opening, answers, balances(db, accounts));
    }

    /**
     * Transfers answered as done whose key the ledger does not hold (for runs whose every transfer carried a key): the
     * acknowledged transfers a fault lost. {@link #assertLedgerMatches} fails on the first; this counts them all.
     */
    public static long acknowledgedButMissing(Connection db, Map<Long, BigDecimal> opening, List<Answer> answers)
            throws SQLException {
        Map<String, Booked> booked = bookedByKey(db, opening.keySet().toArray(Long[]::new));
        return answers.stream().filter(Answer::succeeded)
                .filter(answer -> !booked.containsKey(answer.transfer().key())).count();
    }

    /** Balances the accounts must have if exactly the successful transfers were applied. */
    public static Map<Long, BigDecimal> expectedBalances(Map<Long, BigDecimal> opening, List<Answer> answers) {
        Map<Long, BigDecimal> expected = new HashMap<>(opening);
        for (Answer answer : answers) {
            if (answer.succeeded()) {
                Transfer transfer = answer.transfer();
                expected.merge(transfer.from(), transfer.amount().negate(), BigDecimal::add);
                expected.merge(transfer.to(), transfer.amount(), BigDecimal::add);
            }
        }
        return expected;
    }

    private static void assertBalancesExplained(Map<Long, BigDecimal> opening, List<Answer> answers,
            Map<Long, BigDecimal> balances) {
        Map<Long, BigDecimal> expected = expectedBalances(opening, answers);
        for (Long account : opening.keySet()) {
            BigDecimal balance = balances.get(account);
            assertTrue(balance.signum() >= 0, "account " + account + " went negative: " + balance);
            assertEquals(0, expected.get(account).compareTo(balance), "account " + account + " holds " + balance
                    + ", the successful transfers imply " + expected.get(account));
        }
        assertEquals(0, sum(opening).compareTo(sum(balances)), "money was created or lost");
    }

    private static long successes(List<Answer> answers) {
        return answers.stream().filter(Answer::succeeded).count();
    }

    private static BigDecimal sum(Map<Long, BigDecimal> balances) {
        return balances.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Map<String, Booked> bookedByKey(Connection db, Long[] accounts) throws SQLException {
        Map<String, Booked> booked = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("""
                select k.key, t.id, t.from_account_id, t.to_account_id, t.amount
                from idempotency_key k join transfer t on t.id = k.transfer_id
                where t.from_account_id = any(?)""")) {
            query.setArray(1, db.createArrayOf("bigint", accounts));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    booked.put(rows.getString(1),
                            new Booked(rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getBigDecimal(5)));
                }
            }
        }
        return booked;
    }

    private static long ledgerRows(Connection db, Long[] accounts) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "select count(*) from transfer where from_account_id = any(?) or to_account_id = any(?)")) {
            Array ids = db.createArrayOf("bigint", accounts);
            query.setArray(1, ids);
            query.setArray(2, ids);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Map<Long, BigDecimal> balances(Connection db, Long[] accounts) throws SQLException {
        Map<Long, BigDecimal> balances = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("select id, balance from account where id = any(?)")) {
            query.setArray(1, db.createArrayOf("bigint", accounts));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    balances.put(rows.getLong(1), rows.getBigDecimal(2));
                }
            }
        }
        return balances;
    }
}
