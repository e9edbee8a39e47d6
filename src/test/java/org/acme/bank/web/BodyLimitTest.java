package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.acme.bank.support.Bank;
import org.acme.bank.support.RawHttp;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/** Bodies over {@code quarkus.http.limits.max-body-size} get a 413 problem, whether their length is declared or not. */
@QuarkusTest
class BodyLimitTest {

    private final Bank bank = Bank.app();

    /** {@code quarkus.http.limits.max-body-size}. */
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aBodyOverTheLimitIs413ProblemJson() throws Exception {
        byte[] body = ("{\"note\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer answer = RawHttp.send(URI.create(RestAssured.baseURI + ":" + RestAssured.port), "POST",
                "/transfers/pessimistic", Map.of("Content-Type", "application/json"), body, false);

        assertEquals(413, answer.status(), answer.body());
        assertTrue(answer.header("content-type").startsWith("application/problem+json"), answer.headers().toString());
        JsonNode problem = json.readTree(answer.body());
        assertEquals("/problems/payload-too-large", problem.get("type").asText());
        assertEquals(413, problem.get("status").asInt());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ProblemJson() throws Exception {
        byte[] body = ("{\"note\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(chunked("/transfers/pessimistic", body), HttpResponse.BodyHandlers.ofString());

        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals(Optional.of(Problem.MEDIA_TYPE), answer.headers().firstValue("Content-Type"));
        assertEquals("/problems/payload-too-large", json.readTree(answer.body()).get("type").asText());
    }

    @Test
    void aChunkedBodyUnderTheLimitIsServed() throws Exception {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "0.00");
        byte[] body = ("{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1.00}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(chunked("/transfers/pessimistic", body), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, answer.statusCode(), answer.body());
        assertEquals(new BigDecimal("9.00"), bank.balance(alice));
    }

    /** A body of unknown length goes out chunked: the limit can only be found while reading it. */
    private static HttpRequest chunked(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Tokens.customer("Alice"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
    }
}
