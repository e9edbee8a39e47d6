package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.acme.bank.support.WireCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What one transfer costs on the wire between the packaged service and PostgreSQL, counted by a proxy that reads the
 * protocol: round trips (on a hot account the rows stay locked for all of them after the locking read) and
 * statements. Fails if either grows beyond today's figures; prints what was sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoundTripsIT {

    private RestartablePostgres postgres;
    private WireCounter wire;
    private ServiceProcess service;
    private Bank bank;
    private long alice;
    private long bob;

    @BeforeAll
    void startServiceBehindTheCounter() throws Exception {
        postgres = RestartablePostgres.start();
        wire = WireCounter.start(postgres.port());
        service = ServiceProcess.start("round-trips-instance", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + wire.port()
                        + "/postgres?prepareThreshold=0&sslmode=disable&gssEncMode=disable",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "BANK_TRANSFER_NAIVE_ENABLED", "true",
                // The idempotency-key purge runs once at start: its statements would be counted with a transfer's.
                "QUARKUS_SCHEDULER_ENABLED", "false"));
        bank = Bank.at(service.uri());
        alice = bank.openAccount("Owner", "1000.00");
        bob = bank.openAccount("Owner", "1000.00");
        // The first transfer takes a block of ledger ids from the sequence (one round trip per 50 transfers).
        transfer("pessimistic", null).expect(201);
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (RestartablePostgres database = postgres; WireCounter counter = wire; ServiceProcess one = service) {
            // Closed in reverse order.
        }
    }

    @ParameterizedTest(name = "{0}, key: {1}")
    @CsvSource({
            // strategy, keyed, round trips, statements
            "pessimistic, false, 2, 4",
            "pessimistic, true,  3, 5",
            "optimistic,  false, 3, 6",
            "optimistic,  true,  4, 7",
            "naive,       false, 3, 5",
            "naive,       true,  4, 6"})
    void aTransferCostsNoMoreRoundTripsThanItMust(String strategy, boolean keyed, int roundTrips, int statements)
            throws Exception {
        String key = keyed ? "round-trips-" + strategy : null;

        wire.reset();
        Answer answer = transfer(strategy, key);
        WireCounter.Count sent = wire.count();

        System.out.printf("%s%s: %s%n", strategy, keyed ? " with a key" : "", sent);
        answer.expect(201);
        assertTrue(sent.roundTrips() <= roundTrips, sent.toString());
        assertTrue(sent.statements() <= statements, sent.toString());
        if (keyed) {
            wire.reset();
            transfer(strategy, key).expect(200);
            WireCounter.Count replay = wire.count();
            System.out.printf("%s, its replay: %s%n", strategy, replay);
            // The key's claim and its ROLLBACK, the transfer it stands for read in one query and its COMMIT, then a
            // key-share lock on its accounts and the COMMIT that waits for a synchronous standby to have it.
            assertTrue(replay.roundTrips() <= 6, replay.toString());
        }
    }

    private Answer transfer(String strategy, String key) {
        return bank.send(new Transfer(strategy, alice, bob, new BigDecimal("1.00"), key));
    }
}
