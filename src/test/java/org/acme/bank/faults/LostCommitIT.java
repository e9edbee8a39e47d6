package org.acme.bank.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.CommitCuttingProxy;
import org.acme.bank.support.Metrics;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The COMMIT reached the database and was done, but its answer was lost on the way back: the service must not call
 * that a failure. It asks the ledger and answers 201; and when it cannot even ask, it says the outcome is unknown and
 * names the transfer, which the client can then read, or settle by repeating its Idempotency-Key. A COMMIT that never
 * reached the database is found absent from the ledger and answered as not done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostCommitIT {

    private RestartablePostgres postgres;
    private CommitCuttingProxy proxy;
    private ServiceProcess service;
    private Bank bank;

    @BeforeAll
    void startServiceBehindTheProxy() throws Exception {
        // zonky turns synchronous_commit off on its command line, where nothing can turn it on again; a COMMIT waits
        // for a synchronous standby only with it on.
        postgres = RestartablePostgres.start(Map.of("synchronous_commit", "on"));
        proxy = CommitCuttingProxy.start(postgres.port());
        service = ServiceProcess.start("lost-commit-instance", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://localhost:" + proxy.port() + "/postgres?prepareThreshold=0",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "1s",
                // One writer, so that the transfers queued behind a held lock become one batch.
                "BANK_TRANSFER_BATCHED_WRITERS", "1",
                // No expiry clean-up, whose statements on holds would take the place of a void's under the cut.
                "BANK_HOLD_EXPIRE_EVERY", "1h"));
        bank = Bank.at(service.uri());
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (RestartablePostgres database = postgres; CommitCuttingProxy cutter = proxy; ServiceProcess one = service) {
            // Closed in reverse order: the service, the proxy, the database.
        }
    }

    /** For a batch as for a single transfer: each member whose row is in the ledger is answered as done. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitWhoseAnswerWasLostIsFoundInTheLedgerAndAnsweredAsDone(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST);
        Answer answer = transfer(strategy, alice, bob, "10.00", null);

        assertEquals(201, answer.status(), answer.body());
        long id = answer.json().get("id").asLong();
        assertEquals(200, bank.get("/transfers/" + id).status());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
        assertEquals(0, new BigDecimal("10.00").compareTo(bank.balance(bob)));
    }

    /**
     * As in a database restart, every connection of the pool breaks with the COMMIT's answer: the first look-up of the
     * ledger borrows another broken connection, and the service must try again on a fresh one rather than call the
     * outcome unknown.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aLostCommitIsCheckedOnAFreshConnectionWhenThePoolsConnectionsBrokeWithIt(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");
        fillThePoolWithIdleConnections(alice);

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST_WITH_EVERY_CONNECTION);
        Answer answer = transfer(strategy, alice, bob, "10.00", null);

        assertEquals(201, answer.status(), answer.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
    }

    /** The COMMIT never reached the server: the ledger, asked afresh, has no such transfer, so nothing happened. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitThatNeverReachedTheDatabaseIsAnsweredUnavailableAndMovedNothing(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.COMMIT_LOST);
        Answer lost = transfer(strategy, alice, bob, "10.00", "never-" + alice);

        assertEquals(503, lost.status(), lost.body());
        assertEquals("/problems/database-unavailable", lost.json().get("type").asText());
        assertEquals(0, new BigDecimal("100.00").compareTo(bank.balance(alice)), "nothing moved");
        Answer repeat = transfer(strategy, alice, bob, "10.00", "never-" + alice);
        assertEquals(201, repeat.status(), "the key was never bound: " + repeat.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aLostCommitThatCannotBeCheckedIsAnsweredOutcomeUnknownAndSettledByTheKey(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST_THEN_DARK);
        Answer unknown = transfer(strategy, alice, bob, "10.00", "lost-" + alice);
        proxy.heal();

        assertEquals(503, unknown.status(), unknown.body());
        JsonNode problem = unknown.json();
        assertEquals("/problems/outcome-unknown", problem.get("type").asText());
        long id = problem.get("transferId").asLong();
        // The client waits for the database to come back, as Retry-After asks: connections broken in the dark phase
        // are each answered 503 once and thrown away.
        assertEquals(200, retriedWhileUnavailable(() -> bank.get("/transfers/" + id)).status(),
                "the transfer named as unknown did happen");
        Answer repeat =
                retriedWhileUnavailable(() -> transfer(strategy, alice, bob, "10.00", "lost-" + alice));
        assertEquals(200, repeat.status(), repeat.body());
        assertEquals(id, repeat.json().get("id").asLong());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)), "the money moved once");
    }

    /**
     * A COMMIT still under way when its answer was lost: with a synchronous standby the server keeps it invisible,
     * its row locks held, until the standby confirms (a standby that does not exist here, so until the setting is
     * cleared). The look-up waits for it rather than answer "nothing changed": once the COMMIT completes during the
     * wait, the answer is 201.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitStillUnderWayIsWaitedForAndAnsweredAsDone(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST);
        CompletableFuture<Answer> answer;
        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            holdCommits(statement, true);
            try {
                answer = CompletableFuture.supplyAsync(() -> transfer(strategy, alice, bob, "10.00", null));
                awaitLookUpWaitingForTheCommit(statement);
            } finally {
                holdCommits(statement, false);
            }
        }

        Answer done = answer.get(30, TimeUnit.SECONDS);
        assertEquals(201, done.status(), done.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)));
    }

    /**
     * The same COMMIT still undecided when the look-up's lock timeout runs out: the outcome is unknown, and it is
     * said so; the transfer then appears once the COMMIT completes, as the answer warned it might.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitUndecidedPastTheLockTimeoutIsAnsweredOutcomeUnknown(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST);
        Answer undecided;
        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            holdCommits(statement, true);
            try {
                undecided = transfer(strategy, alice, bob, "10.00", "undecided-" + alice);
            } finally {
                holdCommits(statement, false);
            }
        }

        assertEquals(503, undecided.status(), undecided.body());
        JsonNode problem = undecided.json();
        assertEquals("/problems/outcome-unknown", problem.get("type").asText());
        long id = problem.get("transferId").asLong();
        Answer appeared = bank.get("/transfers/" + id);
        for (int poll = 0; poll < 100 && appeared.status() != 200; poll++) {
            Thread.sleep(100);
            appeared = bank.get("/transfers/" + id);
        }
        assertEquals(200, appeared.status(), "the COMMIT completed once the standby was no longer awaited");
        Answer repeat = transfer(strategy, alice, bob, "10.00", "undecided-" + alice);
        assertEquals(200, repeat.status(), repeat.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)), "the money moved once");
    }

    /**
     * A COMMIT that the synchronous standby never confirms is cut short at the commit timeout, and PostgreSQL then
     * keeps it on the primary alone with nothing but a warning: a failover could lose it, so the answer, given while
     * the standby is still missing, is 503 outcome-unknown, never 201; so is its repeat while the standby is missing.
     * The key settles it once the standby is back.
     */
    @Test
    void aCommitTheStandbyNeverConfirmsIsAnsweredOutcomeUnknownAtTheCommitTimeout() throws Exception {
        List<String> strategies = List.of("pessimistic", "optimistic", "batched");
        Map<String, Long> senders = new HashMap<>();
        Map<String, Long> receivers = new HashMap<>();
        for (String strategy : strategies) {
            senders.put(strategy, bank.openAccount("Owner", "100.00"));
            receivers.put(strategy, bank.openAccount("Owner", "0.00"));
        }
        Map<String, Answer> unconfirmed = new HashMap<>();
        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            holdCommits(statement, true);
            try {
                Map<String, CompletableFuture<Answer>> answers = new HashMap<>();
                // Apart, since each COMMIT holds its rows until it is cancelled.
                strategies.forEach(strategy -> answers.put(strategy, CompletableFuture.supplyAsync(() -> transfer(
                        strategy, senders.get(strategy), receivers.get(strategy), "10.00", "unconfirmed-" + strategy))));
                for (String strategy : strategies) {
                    unconfirmed.put(strategy, answers.get(strategy).get(60, TimeUnit.SECONDS)
                            .expectProblem(503, "/problems/outcome-unknown"));
                }
                // The key's replay finds the transfer on the primary, but calls it done only once the standby has it.
                Map<String, CompletableFuture<Answer>> repeats = new HashMap<>();
                strategies.forEach(strategy -> repeats.put(strategy, CompletableFuture.supplyAsync(() -> transfer(
                        strategy, senders.get(strategy), receivers.get(strategy), "10.00", "unconfirmed-" + strategy))));
                for (String strategy : strategies) {
                    repeats.get(strategy).get(60, TimeUnit.SECONDS).expectProblem(503, "/problems/outcome-unknown");
                }
            } finally {
                holdCommits(statement, false);
            }
        }

        for (String strategy : strategies) {
            Answer repeat = transfer(strategy, senders.get(strategy), receivers.get(strategy), "10.00",
                    "unconfirmed-" + strategy);
            assertEquals(200, repeat.status(), repeat.body());
            assertEquals(unconfirmed.get(strategy).json().get("transferId").asLong(), repeat.json().get("id").asLong());
            assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(senders.get(strategy))), strategy);
        }
    }

    /**
     * The answer to a COMMIT is lost while the COMMIT waits for the standby, and an operator then cancels that wait
     * ({@code pg_cancel_backend}): PostgreSQL keeps the commit on the primary alone. The look-up finds the transfer
     * but calls it done only once the standby confirms having it, which it never does here: outcome-unknown.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pessimistic", "batched"})
    void aCommitKeptByThePrimaryAloneIsNotCalledDone(String strategy) throws Exception {
        long alice = bank.openAccount("Owner", "100.00");
        long bob = bank.openAccount("Owner", "0.00");

        proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST);
        Answer unknown;
        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            holdCommits(statement, true);
            try {
                CompletableFuture<Answer> answer =
                        CompletableFuture.supplyAsync(() -> transfer(strategy, alice, bob, "10.00", "kept-" + alice));
                awaitLookUpWaitingForTheCommit(statement);
                statement.execute("select pg_cancel_backend(pid) from pg_stat_activity where wait_event = 'SyncRep'");
                unknown = answer.get(60, TimeUnit.SECONDS);
            } finally {
                holdCommits(statement, false);
            }
        }

        unknown.expectProblem(503, "/problems/outcome-unknown");
        Answer repeat = transfer(strategy, alice, bob, "10.00", "kept-" + alice);
        assertEquals(200, repeat.status(), repeat.body());
        assertEquals(0, new BigDecimal("90.00").compareTo(bank.balance(alice)), "the money moved once");
    }

    /**
     * A batch is one transaction: its lost COMMIT is settled for every member by one look-up of the ledger, not one
     * (or three) per member. Twenty transfers and a hold queue behind a held lock, then commit as one batch whose
     * answer is lost: the hold, which wrote no ledger row, is settled by the same look-up.
     */
    @Test
    void aBatchWhoseCommitAnswerWasLostIsSettledWithOneLookUp() throws Exception {
        long held = bank.openAccount("Owner", "0.00");
        long carol = bank.openAccount("Owner", "100.00");
        long dave = bank.openAccount("Owner", "0.00");
        List<CompletableFuture<Answer>> batch = new ArrayList<>();
        CompletableFuture<Answer> refused;
        CompletableFuture<Answer> hold;
        int readsBefore;
        try (Connection lock = postgres.connect(); Statement statement = lock.createStatement()) {
            lock.setAutoCommit(false);
            statement.execute("select 1 from account where id = " + held + " for update");
            // A first batch, refused by the balances (so no ledger row, and its COMMIT is not cut), waits at the lock...
            refused = CompletableFuture.supplyAsync(() -> transfer("batched", held, dave, "1.00", null));
            awaitLockWaiters(statement, 1);
            // ...while twenty transfers queue behind it for the next batch.
            for (int i = 0; i < 20; i++) {
                batch.add(CompletableFuture.supplyAsync(() -> transfer("batched", carol, dave, "1.00", null)));
            }
            awaitQueued(20);
            hold = CompletableFuture.supplyAsync(() -> bank.asCustomer("Owner").post("/holds/batched", "{\"from\":"
                    + carol + ",\"to\":" + dave + ",\"amount\":\"10.00\",\"expiresIn\":3600}", Map.of()));
            awaitQueued(21);
            proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.ANSWER_LOST);
            readsBefore = proxy.ledgerReads();
            lock.rollback();
        }

        assertEquals(422, refused.get(30, TimeUnit.SECONDS).status());
        for (CompletableFuture<Answer> member : batch) {
            Answer answer = member.get(30, TimeUnit.SECONDS);
            assertEquals(201, answer.status(), answer.body());
        }
        hold.get(30, TimeUnit.SECONDS).expect(201).expectField("status", "pending");
        assertEquals(1, proxy.ledgerReads() - readsBefore, "one look-up settled the whole batch");
        assertEquals(0, new BigDecimal("80.00").compareTo(bank.balance(carol)));
        assertEquals(0, new BigDecimal("70.00").compareTo(bank.getJson("/accounts/" + carol).get("available")
                .decimalValue()));
    }

    /**
     * A batch whose COMMIT never arrived: its member the balances refused was judged against an earlier member's move,
     * which did not happen, so it is told only that nothing changed (before: 422 insufficient-funds, a reason that was
     * false: alone, it would have gone through).
     */
    @Test
    void aBatchThatDidNotCommitGivesNoRefusalItsEarlierMembersCaused() throws Exception {
        long held = bank.openAccount("Owner", "0.00");
        long erin = bank.openAccount("Owner", "10.00");
        long frank = bank.openAccount("Owner", "0.00");
        CompletableFuture<Answer> refused;
        CompletableFuture<Answer> moving;
        CompletableFuture<Answer> judgedOnTheMove;
        try (Connection lock = postgres.connect(); Statement statement = lock.createStatement()) {
            lock.setAutoCommit(false);
            statement.execute("select 1 from account where id = " + held + " for update");
            refused = CompletableFuture.supplyAsync(() -> transfer("batched", held, frank, "1.00", null));
            awaitLockWaiters(statement, 1);
            moving = CompletableFuture.supplyAsync(() -> transfer("batched", erin, frank, "10.00", null));
            awaitQueued(1);
            judgedOnTheMove = CompletableFuture.supplyAsync(() -> transfer("batched", erin, frank, "5.00", null));
            awaitQueued(2);
            proxy.cutNextTransferCommit(CommitCuttingProxy.Cut.COMMIT_LOST);
            lock.rollback();
        }

        refused.get(30, TimeUnit.SECONDS).expectProblem(422, "/problems/insufficient-funds");
        moving.get(30, TimeUnit.SECONDS).expectProblem(503, "/problems/database-unavailable");
        judgedOnTheMove.get(30, TimeUnit.SECONDS).expectProblem(503, "/problems/database-unavailable");
        assertEquals(0, new BigDecimal("10.00").compareTo(bank.balance(erin)), "nothing moved");
    }

    /**
     * Holds commit as transfers do: a placement (alone, or in a batch), posting or void whose COMMIT's answer was lost
     * is found done and answered so; one whose COMMIT never arrived is answered as not done, and nothing changed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"place", "place-batched", "post", "void"})
    void aHoldsCommitWhoseAnswerWasLostIsFoundDoneAndOneThatNeverArrivedChangedNothing(String operation)
            throws Exception {
        HoldParties parties = holdParties(operation);

        proxy.cutNextCommitAfter(statementOf(operation), CommitCuttingProxy.Cut.COMMIT_LOST);
        holdOperation(operation, parties, "cut-" + parties.sender())
                .expectProblem(503, "/problems/database-unavailable");
        assertUnchanged(parties);

        proxy.cutNextCommitAfter(statementOf(operation), CommitCuttingProxy.Cut.ANSWER_LOST);
        Answer done = holdOperation(operation, parties, "cut-" + parties.sender());
        assertEquals(operation.equals("void") ? 200 : 201, done.status(), done.body());
        assertDone(parties, operation);
        holdOperation(operation, parties, "cut-" + parties.sender()).expect(200).expectHeader("Idempotent-Replayed",
                "true");
        assertDone(parties, operation);
    }

    /**
     * A hold's COMMIT that the synchronous standby never confirms is outcome-unknown, as a transfer's is, and so is its
     * key's repeat while the standby is missing; once it is back, the key settles it, done once.
     */
    @Test
    void aHoldsCommitTheStandbyNeverConfirmsIsAnsweredOutcomeUnknownAndSettledByItsKey() throws Exception {
        List<String> operations = List.of("place", "place-batched", "post", "void");
        Map<String, HoldParties> parties = new HashMap<>();
        for (String operation : operations) {
            parties.put(operation, holdParties(operation));
        }
        try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
            holdCommits(statement, true);
            try {
                for (int round = 0; round < 2; round++) {
                    Map<String, CompletableFuture<Answer>> answers = new HashMap<>();
                    operations.forEach(operation -> answers.put(operation, CompletableFuture.supplyAsync(() ->
                            holdOperation(operation, parties.get(operation), "unconfirmed-" + operation))));
                    for (String operation : operations) {
                        Answer unknown = answers.get(operation).get(60, TimeUnit.SECONDS)
                                .expectProblem(503, "/problems/outcome-unknown");
                        if (operation.startsWith("place") && round == 0) {
                            assertTrue(unknown.json().get("detail").asText().matches(".*\\(hold \\d+\\).*"),
                                    "a placement's unknown outcome names its hold: " + unknown.body());
                        }
                    }
                }
            } finally {
                holdCommits(statement, false);
            }
        }

        for (String operation : operations) {
            holdOperation(operation, parties.get(operation), "unconfirmed-" + operation).expect(200);
            assertDone(parties.get(operation), operation);
        }
    }

    /** A sender with 100.00 and a receiver; for a posting or a void, a hold of 30.00 placed between them already. */
    private HoldParties holdParties(String operation) {
        long sender = bank.openAccount("Owner", "100.00");
        long receiver = bank.openAccount("Shop", "0.00");
        HoldParties placing = new HoldParties(sender, receiver, 0);
        if (operation.startsWith("place")) {
            return placing;
        }
        return new HoldParties(sender, receiver, holdOperation("place", placing, null).expect(201).id());
    }

    private Answer holdOperation(String operation, HoldParties parties, String key) {
        Map<String, String> headers = key == null ? Map.of() : Map.of("Idempotency-Key", key);
        Bank owner = bank.asCustomer("Owner");
        return switch (operation) {
            case "place", "place-batched" -> owner.post(operation.equals("place") ? "/holds/pessimistic"
                    : "/holds/batched", "{\"from\":" + parties.sender() + ",\"to\":" + parties.receiver()
                    + ",\"amount\":\"30.00\",\"expiresIn\":3600}", headers);
            case "post" -> owner.post("/holds/" + parties.hold() + "/post", "", headers);
            case "void" -> owner.post("/holds/" + parties.hold() + "/void", "", headers);
            default -> throw new IllegalArgumentException(operation);
        };
    }

    /** The statement after which the operation's COMMIT is cut: what it writes last. */
    private static String statementOf(String operation) {
        return switch (operation) {
            case "place", "place-batched" -> "insert into hold ";
            case "post" -> "insert into transfer ";
            case "void" -> "update hold ";
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private record HoldParties(long sender, long receiver, long hold) {
    }

    private void assertUnchanged(HoldParties parties) {
        assertMoney(parties, parties.hold() == 0 ? "100.00" : "70.00", "0.00");
    }

    private void assertDone(HoldParties parties, String operation) {
        switch (operation) {
            case "place", "place-batched" -> assertMoney(parties, "70.00", "0.00");
            case "post" -> assertMoney(parties, "70.00", "30.00");
            default -> assertMoney(parties, "100.00", "0.00");
        }
    }

    /** The sender's available money (its balance is 100.00 until a posting) and the receiver's balance. */
    private void assertMoney(HoldParties parties, String senderAvailable, String receiverBalance) {
        JsonNode sender = bank.getJson("/accounts/" + parties.sender());
        assertEquals(0, new BigDecimal(senderAvailable).compareTo(sender.get("available").decimalValue()),
                sender.toString());
        assertEquals(0, new BigDecimal(receiverBalance).compareTo(bank.balance(parties.receiver())));
    }

    /** With synchronous_standby_names naming a standby that does not exist, every COMMIT that wrote waits. */
    private static void holdCommits(Statement admin, boolean hold) throws Exception {
        admin.execute(hold ? "alter system set synchronous_standby_names = 'standby_that_never_comes'"
                : "alter system reset synchronous_standby_names");
        admin.execute("select pg_reload_conf()");
    }

    /** The transfer's backend waits for the standby, and the service's look-up waits for that transfer's locks. */
    private static void awaitLookUpWaitingForTheCommit(Statement admin) throws Exception {
        awaitUntil("no look-up came to wait for the COMMIT under way", () -> {
            try (ResultSet waits = admin.executeQuery("select count(*) filter (where wait_event = 'SyncRep'),"
                    + " count(*) filter (where wait_event_type = 'Lock' and query like '%for share%')"
                    + " from pg_stat_activity")) {
                waits.next();
                return waits.getInt(1) >= 1 && waits.getInt(2) >= 1;
            }
        });
    }

    private static void awaitLockWaiters(Statement admin, int waiters) throws Exception {
        awaitUntil("nothing came to wait at the lock", () -> {
            try (ResultSet waits = admin.executeQuery(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")) {
                waits.next();
                return waits.getInt(1) >= waiters;
            }
        });
    }

    private void awaitQueued(int transfers) throws Exception {
        awaitUntil(transfers + " transfers never queued", () ->
                Metrics.value(Metrics.scrape(service.management()), "bank_transfer_batch_queue", "") >= transfers);
    }

    private static void awaitUntil(String failure, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.sleep(50);
        }
    }


    /** Concurrent reads make the pool open several connections, which then wait idle in it. */
    private void fillThePoolWithIdleConnections(long account) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Answer>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(readers.submit(() -> bank.get("/accounts/" + account)));
            }
            for (Future<Answer> read : reads) {
                read.get(30, TimeUnit.SECONDS).expect(200);
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static Answer retriedWhileUnavailable(Callable<Answer> request)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            Answer answer = request.call();
            if (answer.status() != 503 || attempt == 30) {
                return answer;
            }
            Thread.sleep(1_000);
        }
    }

    private Answer transfer(String strategy, long from, long to, String amount, String key) {
        return bank.send(new Transfer(strategy, from, to, new BigDecimal(amount), key));
    }
}
