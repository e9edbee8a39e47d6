package org.acme.bank.faults;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.acme.bank.faults.TransferLoad.Answer;

/**
 * Holds the database to what the clients were told: every transfer answered as done is in the ledger exactly as asked,
 * none answered as failed is, and the balances are the opening balances moved by exactly those transfers.
 */
final class LedgerCheck {

    static final String OUTCOME_UNKNOWN = "/problems/outcome-unknown";

    private record Booked(long id, long from, long to, BigDecimal amount) {
    }

    private LedgerCheck() {
    }

    /**
     * A client told "outcome unknown" repeats the request with the same key once the database is back, as the answer
     * asks; the repeat must settle it (201 if the first never happened, 200 with the replay if it did).
     */
    static List<Answer> settleUnknownOutcomes(TransferLoad load, List<Answer> answers) {
        List<Answer> settled = new ArrayList<>();
        for (Answer answer : answers) {
            if (OUTCOME_UNKNOWN.equals(answer.problemType())) {
                Answer repeat = load.send(answer.request());
                assertTrue(repeat.succeeded(), "repeating an unknown outcome was answered " + repeat.summary());
                settled.add(repeat);
            } else {
                settled.add(answer);
            }
        }
        return settled;
    }

    static void assertLedgerMatches(Connection db, Map<Long, BigDecimal> opening, List<Answer> answers)
            throws SQLException {
        Map<String, Booked> booked = bookedByKey(db, opening.keySet().toArray(Long[]::new));
        Map<Long, BigDecimal> expected = new HashMap<>(opening);
        long successes = 0;
        for (Answer answer : answers) {
            Booked row = booked.get(answer.request().key());
            if (answer.succeeded()) {
                successes++;
                assertNotNull(row, "answered " + answer.summary() + " but not in the ledger: " + answer.request());
                assertEquals(answer.transferId(), row.id(), "the ledger holds another transfer under this key");
                assertEquals(new Booked(row.id(), answer.request().from(), answer.request().to(),
                        answer.request().amount()), row, "the ledger row differs from the request");
                expected.merge(row.from(), row.amount().negate(), BigDecimal::add);
                expected.merge(row.to(), row.amount(), BigDecimal::add);
            } else {
                assertNull(row, "answered " + answer.summary() + " but booked anyway: " + answer.request());
            }
        }
        assertEquals(successes, booked.size(), "the ledger holds transfers no client was told of");
        assertEquals(successes, ledgerRows(db, opening.keySet().toArray(Long[]::new)),
                "ledger rows without an idempotency key appeared");
        Map<Long, BigDecimal> balances = balances(db, opening.keySet().toArray(Long[]::new));
        for (Map.Entry<Long, BigDecimal> account : expected.entrySet()) {
            BigDecimal balance = balances.get(account.getKey());
            assertTrue(balance.signum() >= 0, "account " + account.getKey() + " went negative");
            assertEquals(0, account.getValue().compareTo(balance), "account " + account.getKey() + " holds " + balance
                    + ", the answered transfers imply " + account.getValue());
        }
        assertEquals(0, opening.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .compareTo(balances.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)),
                "money was created or lost");
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
