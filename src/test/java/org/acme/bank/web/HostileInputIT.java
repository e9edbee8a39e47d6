package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Books;
import org.acme.bank.support.RawHttp;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.acme.bank.web.HostileRequests.Request;

/**
 * A property of the packaged service, checked by jqwik over generated hostile requests: every answer is a 2xx, or a
 * 4xx problem+json naming its own status, never a 5xx; and after each one the books still balance. jqwik prints the
 * seed and the shrunk request of a failure, and tries that seed first on the next run ({@code target/.jqwik-database});
 * {@code -Djqwik.tries=5000} runs more.
 */
class HostileInputIT {

    /** {@code quarkus.http.limits.max-body-size}. */
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final BigDecimal OPENING_TOTAL = new BigDecimal("2000.00");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RestartablePostgres postgres;
    private static ServiceProcess service;
    private static Bank bank;
    private static long alice;
    private static long bob;

    @BeforeContainer
    static void startTheService() throws Exception {
        postgres = RestartablePostgres.start();
        service = ServiceProcess.start("hostile-input-instance", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("bank-service"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres"));
        bank = Bank.at(service.uri());
        alice = bank.openAccount("Owner", "1000.00");
        bob = bank.openAccount("Owner", "1000.00");
    }

    @AfterContainer
    static void stopTheService() throws Exception {
        try (RestartablePostgres database = postgres; ServiceProcess instance = service) {
            // Closed in reverse order: the service, then the database.
        }
    }

    @Property
    void everyAnswerIsSuccessOrAClientProblemAndTheBooksStayBalanced(@ForAll("hostileRequests") Request request)
            throws Exception {
        RawHttp.Answer answer;
        try {
            answer = RawHttp.send(service.uri(), request.method(), request.target(), request.headers(), request.body(),
                    request.chunked());
        } catch (IOException noAnswer) {
            throw new AssertionError("no answer: " + noAnswer, noAnswer);
        }

        assertNull(violation(answer),
                () -> "answer: " + answer.status() + " " + answer.headers() + " " + answer.body());
        assertEquals(0, OPENING_TOTAL.compareTo(bank.balance(alice).add(bank.balance(bob))), "money created or lost");
        Books.assertAuditConsistent(bank);
    }

    @Provide
    Arbitrary<Request> hostileRequests() {
        return new HostileRequests(alice, bob, "Owner", MAX_BODY_BYTES).all();
    }

    /** What is wrong with an answer, or null when it keeps the promise. */
    private static String violation(RawHttp.Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return answer.body().startsWith("{\"results\"") ? bulkViolation(answer.body()) : null;
        }
        if (status < 400 || status >= 500) {
            return "answered " + status;
        }
        String contentType = answer.header("content-type");
        if (contentType == null || !contentType.startsWith(Problem.MEDIA_TYPE)) {
            return "a " + status + " that is not application/problem+json";
        }
        try {
            return problemViolation(JSON.readTree(answer.body()), status);
        } catch (IOException e) {
            return "a problem body that is not JSON";
        }
    }

    /** A bulk's results keep the promise one by one: each a success, or a client problem naming its status. */
    private static String bulkViolation(String body) {
        try {
            for (JsonNode result : JSON.readTree(body).path("results")) {
                int status = result.path("status").asInt();
                if (status >= 400 && status < 500) {
                    String wrong = problemViolation(result.path("problem"), status);
                    if (wrong != null) {
                        return "an item's " + wrong;
                    }
                } else if (status != 200 && status != 201) {
                    return "an item answered " + status + ": " + result;
                }
            }
            return null;
        } catch (IOException e) {
            return "a bulk answer that is not JSON";
        }
    }

    private static String problemViolation(JsonNode problem, int status) {
        if (problem.path("status").asInt() != status || !problem.path("type").asText().startsWith("/problems/")) {
            return "a problem whose status or type is wrong";
        }
        return null;
    }
}
