package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Books;
import org.acme.bank.support.ConcurrentTransfers;
import org.acme.bank.support.PgBouncer;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged service behind PgBouncer in transaction mode, with fewer server connections than its pool: no session
 * setting follows a client there, so the lock timeout is the database role's default, which the service checks at
 * startup; with it, a lock wait is still bounded and concurrent keyed transfers keep the books.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgBouncerIT {

    private static final String LOCK_TIMEOUT = "2s";

    private RestartablePostgres postgres;
    private PgBouncer pgBouncer;
    private Map<String, String> environment;

    @BeforeAll
    void startDatabaseAndPooler() throws Exception {
        if (PgBouncer.missing().isPresent()) {
            String skipped = "SKIPPED PgBouncerIT: " + PgBouncer.missing().get();
            System.out.println(skipped);
            Assumptions.abort(skipped);
        }
        postgres = RestartablePostgres.start();
        pgBouncer = PgBouncer.start(postgres.port(), "postgres", "postgres");
        environment = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pgBouncer.jdbcUrl("postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "BANK_DATASOURCE_TRANSACTION_POOLING", "true",
                "BANK_TRANSFER_LOCK_TIMEOUT", LOCK_TIMEOUT);
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (RestartablePostgres database = postgres; PgBouncer pooler = pgBouncer) {
            // The pooler first, then the database.
        }
    }

    @Test
    void behindATransactionPoolerTheLockTimeoutIsTheRolesAndStillBoundsEveryWait() throws Exception {
        String refused = ServiceProcess.refusedStartLog("pgbouncer-without-role-setting", environment);
        assertTrue(refused.contains("ALTER ROLE \"postgres\" IN DATABASE \"postgres\" SET lock_timeout = '2000ms'"),
                refused);

        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            statement.execute("alter role postgres in database postgres set lock_timeout = '" + LOCK_TIMEOUT + "'");
        }
        pgBouncer.restart();
        try (ServiceProcess service = ServiceProcess.start("pgbouncer-instance", environment)) {
            Bank bank = Bank.at(service.uri());
            Map<Long, BigDecimal> opening = bank.openAccounts(4, "Owner", "1000.00");
            List<Long> accounts = List.copyOf(opening.keySet());

            CompletableFuture<Answer> waiting;
            try (Connection holder = postgres.connect(); Statement lock = holder.createStatement()) {
                holder.setAutoCommit(false);
                lock.execute("select id from account where id = " + accounts.get(1) + " for no key update");
                waiting = CompletableFuture.supplyAsync(
                        () -> bank.transfer("pessimistic", accounts.get(0), accounts.get(1), "1.00"));
                waiting.get(30, TimeUnit.SECONDS).expectProblem(409, "/problems/lock-timeout");
                holder.rollback();
            }

            TransferLoad load = new TransferLoad(List.of(bank), List.of("pessimistic", "optimistic", "batched"),
                    accounts, 8);
            load.start();
            Thread.sleep(3_000);
            List<Answer> answers = load.stop();
            System.out.printf("PgBouncerIT: %d server connections for a pool of 20: %s%n",
                    PgBouncer.SERVER_CONNECTIONS, ConcurrentTransfers.summary(answers));
            assertTrue(answers.stream().anyMatch(Answer::succeeded), "nothing went through PgBouncer");
            try (Connection db = postgres.connect()) {
                Books.assertLedgerMatches(db, opening, load.settleUnknownOutcomes(answers));
            }
            Books.assertAuditConsistent(bank);
        }
    }
}
