package org.acme.bank.lab;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The service's public HTTP API, with nothing but the JDK's HTTP client and JSON: no server classes. */
final class BankClient {

    /** What one transfer request was answered; {@code status} 0 means no answer at all (dropped, timed out). */
    record Answer(int status, String problemType, int attempts) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;

    BankClient(URI base) {
        this.base = base;
    }

    long openAccount(String owner, BigDecimal balance) throws IOException, InterruptedException {
        String body = json.writeValueAsString(json.createObjectNode().put("owner", owner).put("balance", balance));
        HttpResponse<String> response = http.send(post("/accounts", body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST /accounts answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("id").asLong();
    }

    BigDecimal balance(long accountId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get("/accounts/" + accountId), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /accounts/" + accountId + " answered " + response.statusCode());
        }
        return json.readTree(response.body()).path("balance").decimalValue();
    }

    JsonNode audit() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get("/audit"), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    boolean strategyEnabled(String strategy) throws IOException, InterruptedException {
        // An invalid body is refused before the strategy runs, unless the strategy itself is unknown (404).
        HttpResponse<String> response = http.send(post("/transfers/" + strategy, "{}"),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() != 404;
    }

    CompletableFuture<Answer> transfer(String strategy, long from, long to, BigDecimal amount) {
        String body = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount.toPlainString() + "}";
        return http.sendAsync(post("/transfers/" + strategy, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(this::answer)
                .exceptionally(dropped -> new Answer(0, null, 0));
    }

    private Answer answer(HttpResponse<String> response) {
        try {
            JsonNode body = json.readTree(response.body());
            return new Answer(response.statusCode(), body.path("type").asText(null), body.path("attempts").asInt(0));
        } catch (IOException notJson) {
            return new Answer(response.statusCode(), null, 0);
        }
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
    }
}
