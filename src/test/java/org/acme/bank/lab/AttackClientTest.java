package org.acme.bank.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.acme.bank.transfer.ArticleScenarioProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack client against the running service, in the article's scenario (100ms between the two locks): with the
 * sample users' tokens as dev mode serves them (a teller opens fresh accounts, an auditor audits), with owners' tokens
 * only (their own funded accounts, no account opened), and refusing to run without what it needs.
 */
@QuarkusTest
@TestProfile(ArticleScenarioProfile.class)
class AttackClientTest {

    private final Bank bank = Bank.app();
    /** Owners of this run only: the client takes an owner's first funded accounts, which must be this test's. */
    private final String ownerA = "lab-a-" + Long.toString(System.nanoTime(), 36);
    private final String ownerB = "lab-b-" + Long.toString(System.nanoTime(), 36);

    @Test
    void withTheSampleUsersTokensNaiveAloneDeadlocksOnFreshAccounts(@TempDir Path reportDirectory) throws Exception {
        // What dev mode serves at /dev/tokens/<user>; Carol, Dave and Erin are left out, and answer 404.
        Map<String, String> sampleTokens = Map.of("Alice", Tokens.customer("Alice"), "Bob", Tokens.customer("Bob"),
                "Teller", Tokens.teller("Teller"), "Auditor", Tokens.auditor("Auditor"));
        HttpServer devTokens = serve(sampleTokens);
        int aliceAccounts = accountsOf("Alice");
        int bobAccounts = accountsOf("Bob");
        String tokensUrl = "http://" + devTokens.getAddress().getAddress().getHostAddress() + ":"
                + devTokens.getAddress().getPort() + "/dev/tokens";
        String args = "--url " + url() + " --tokens-from " + tokensUrl + " --strategy all --users 8 --transfers 3"
                + " --report " + reportDirectory;
        String output;
        int exitStatus;
        try {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            exitStatus = AttackClient.run(AttackOptions.parse(args.split(" ")), args, new PrintStream(printed, true));
            output = printed.toString(StandardCharsets.UTF_8);
        } finally {
            devTokens.stop(0);
        }

        assertEquals(0, exitStatus, output);
        assertTrue(output.matches("(?s).*❌ DEADLOCK: (Alice -> Bob|Bob -> Alice)\n.*"), output);
        assertTrue(output.matches("(?s).*\\ndeadlocks +0 +0 +0 +[1-9]\\d*\\n.*"), "deadlocks for naive only:\n" + output);
        assertTrue(output.matches("(?s).*\\nsucceeded +24 +.*"), "pessimistic completes all 24:\n" + output);
        assertTrue(output.matches("(?s).*\\nmoney conserved +yes +yes +yes +yes\\n.*"), output);
        assertTrue(output.matches("(?s).*\\nbooks consistent \\(audit\\) +yes +yes +yes +yes\\n.*"), output);
        assertEquals(aliceAccounts + 4, accountsOf("Alice"), "the teller opened one account for Alice per strategy");
        assertEquals(bobAccounts + 4, accountsOf("Bob"), "and one for Bob");
        assertTrue(Files.readString(reportDirectory.resolve("report.md")).contains("| deadlocks | 0 | 0 | 0 |"));
        assertTrue(Files.readString(reportDirectory.resolve("chart.svg")).contains("<polyline"));
    }

    @Test
    void withOwnersTokensOnlyItMovesTheirOwnMoneyAndOpensNothing(@TempDir Path reportDirectory) throws Exception {
        List<Long> accounts = List.of(bank.openAccount(ownerA, "1000.00"), bank.openAccount(ownerB, "1000.00"),
                bank.openAccount(ownerA, "1000.00"), bank.openAccount(ownerB, "1000.00"),
                bank.openAccount(ownerA, "1000.00"));
        long accountsBefore = bank.audit().get("accounts").asLong();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String args = "--url " + url() + " --strategy pessimistic --users 2 --transfers 2 --accounts 5 --zipf 1 --json"
                + " --token " + Tokens.customer(ownerA) + " --token " + Tokens.customer(ownerB)
                + " --report " + reportDirectory;

        int exitStatus = AttackClient.run(AttackOptions.parse(args.split(" ")), args, new PrintStream(printed, true));

        String output = printed.toString(StandardCharsets.UTF_8).trim();
        assertEquals(0, exitStatus, output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.contains("\"strategy\":\"pessimistic\"") && output.contains("\"succeeded\":4")
                && output.contains("\"moneyConserved\":true") && output.contains("\"booksConsistent\":null"), output);
        assertEquals(accountsBefore, bank.audit().get("accounts").asLong(), "no account was opened");
        BigDecimal total = BigDecimal.ZERO;
        int transfers = 0;
        for (long account : accounts) {
            total = total.add(bank.balance(account));
            transfers += bank.transferCount(account);
        }
        assertEquals(0, new BigDecimal("5000.00").compareTo(total), "the five accounts still hold " + total);
        assertEquals(2 * 4, transfers, "the 4 transfers are among the owners' accounts, each counted at both ends");
        JsonNode audit = bank.audit();
        assertEquals(0, audit.get("mismatchedAccounts").asLong(), audit.toString());
        String report = Files.readString(reportDirectory.resolve("report.md"));
        assertTrue(report.contains("--token <token>") && !report.contains(Tokens.customer(ownerA)), report);
    }

    @Test
    void refusesToRunWithoutTokensOrWithoutEnoughFundedAccounts(@TempDir Path tokens) throws Exception {
        bank.openAccount(ownerA, "1000.00");
        bank.openAccount(ownerB, "0");
        Files.writeString(tokens.resolve("a"), Tokens.customer(ownerA) + "\n");
        Files.writeString(tokens.resolve("b"), Tokens.customer(ownerB));
        JsonNode before = bank.audit();

        // This service is not in dev mode: /dev/tokens has nothing.
        String withoutTokens = run("--url " + url() + " --strategy pessimistic", 2);
        assertTrue(withoutTokens.contains("No token at " + url() + "/dev/tokens"), withoutTokens);
        String withoutFunds = run("--url " + url() + " --strategy pessimistic --tokens-from " + tokens, 2);
        assertTrue(withoutFunds.contains("needs 2 accounts with money in them") && withoutFunds.contains("own 1"),
                withoutFunds);

        JsonNode after = bank.audit();
        assertEquals(before.get("accounts"), after.get("accounts"), "no account was opened");
        assertEquals(before.get("transfers"), after.get("transfers"), "no transfer was made");
    }

    private static String run(String args, int expectedExitStatus) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitStatus = AttackClient.run(AttackOptions.parse(args.split(" ")), args, new PrintStream(printed, true));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExitStatus, exitStatus, output);
        assertFalse(output.contains("== pessimistic"), "no run started:\n" + output);
        return output;
    }

    /** The tokens at /dev/tokens/{user}, as dev mode serves them; 404 for any other user. */
    private static HttpServer serve(Map<String, String> tokensByUser) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dev/tokens/", exchange -> {
            String token = tokensByUser.get(exchange.getRequestURI().getPath().substring("/dev/tokens/".length()));
            byte[] body = token == null ? new byte[0] : token.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(token == null ? 404 : 200, token == null ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private int accountsOf(String subject) {
        return bank.asCustomer(subject).getJson("/accounts?size=1000").size();
    }

    private static String url() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }
}
