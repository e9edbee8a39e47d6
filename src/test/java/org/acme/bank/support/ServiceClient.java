package org.acme.bank.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The HTTP API of a running instance ({@link ServiceProcess}) as the tests that start their own use it. */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final URI service;

    public ServiceClient(URI service) {
        this.service = service;
    }

    public long openAccount(String balance) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(service.resolve("/accounts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"owner\":\"Owner\",\"balance\":" + balance + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("id").asLong();
    }

    public BigDecimal balance(long account) throws IOException, InterruptedException {
        return getJson("/accounts/" + account).get("balance").decimalValue();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(service.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a GET that must answer 200. */
    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = get(path);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** The service's own audit: no negative balance, every balance explained by the ledger. */
    public void assertAuditConsistent() throws IOException, InterruptedException {
        JsonNode audit = getJson("/audit");
        assertEquals(0, audit.get("negativeBalances").asLong(), audit.toString());
        assertEquals(0, audit.get("mismatchedAccounts").asLong(), audit.toString());
    }
}
