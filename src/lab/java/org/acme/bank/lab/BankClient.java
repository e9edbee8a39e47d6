package org.acme.bank.lab;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service's public HTTP API, with nothing but the JDK's HTTP client and JSON: no server classes. Every request of
 * the API carries the bearer token of whom it is sent for.
 */
final class BankClient {

    /** What one transfer request was answered; {@code status} 0 means no answer at all (dropped, timed out). */
    record Answer(int status, String problemType, int attempts) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The listing's largest page, and the deepest offset the service reads (docs/api.md). */
    private static final int PAGE_SIZE = 1000;
    private static final int DEEPEST_OFFSET = 10_000;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;

    BankClient(URI base) {
        this.base = base;
    }

    /** Opens an account for the owner (a subject) with an opening balance: a teller's act. */
    long openAccount(Token teller, String owner, BigDecimal balance) throws IOException, InterruptedException {
        String body = json.writeValueAsString(json.createObjectNode().put("owner", owner).put("balance", balance));
        HttpResponse<String> response = http.send(post(teller, "/accounts", body),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw refused("POST /accounts", response);
        }
        return json.readTree(response.body()).path("id").asLong();
    }

    /**
     * Up to {@code atMost} of the owner's accounts with money in them, in id order. The listing is the caller's own
     * accounts, or everyone's for a token with a role the lab did not recognise, hence the owner is checked too.
     */
    List<Long> fundedAccounts(Token owner, int atMost) throws IOException, InterruptedException {
        List<Long> funded = new ArrayList<>();
        for (int page = 0; page * PAGE_SIZE <= DEEPEST_OFFSET && funded.size() < atMost; page++) {
            String path = "/accounts?page=" + page + "&size=" + PAGE_SIZE;
            HttpResponse<String> response = http.send(get(owner, path), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw refused("GET /accounts as " + owner.subject(), response);
            }
            JsonNode accounts = json.readTree(response.body());
            for (JsonNode account : accounts) {
                if (funded.size() < atMost && owner.subject().equals(account.path("owner").asText())
                        && account.path("balance").decimalValue().signum() > 0) {
                    funded.add(account.path("id").asLong());
                }
            }
            if (accounts.size() < PAGE_SIZE) {
                break;
            }
        }
        return funded;
    }

    BigDecimal balance(Token reader, long accountId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get(reader, "/accounts/" + accountId),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw refused("GET /accounts/" + accountId, response);
        }
        return json.readTree(response.body()).path("balance").decimalValue();
    }

    JsonNode audit(Token auditor) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get(auditor, "/audit"), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw refused("GET /audit", response);
        }
        return json.readTree(response.body());
    }

    boolean strategyEnabled(Token caller, String strategy) throws IOException, InterruptedException {
        // An invalid body is refused before the strategy runs, unless the strategy itself is unknown (404).
        HttpResponse<String> response = http.send(post(caller, "/transfers/" + strategy,
                        strategy.equals(AttackOptions.BULK) ? "{\"transfers\":[]}" : "{}"),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            throw refused("POST /transfers/" + strategy, response);
        }
        return response.statusCode() != 404;
    }

    CompletableFuture<Answer> transfer(Token sender, String strategy, long from, long to, BigDecimal amount) {
        String body = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount.toPlainString() + "}";
        return http.sendAsync(post(sender, "/transfers/" + strategy, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(this::answer)
                .exceptionally(dropped -> new Answer(0, null, 0));
    }

    /**
     * {@code count} transfers of {@code amount} from one account to another in one {@code POST /transfers/bulk}: an
     * answer per transfer, from its slot of the results, or the request's own answer for each when it was refused
     * whole.
     */
    CompletableFuture<List<Answer>> bulk(Token sender, long from, long to, BigDecimal amount, int count) {
        String item = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount.toPlainString() + "}";
        String body = "{\"transfers\":[" + String.join(",", Collections.nCopies(count, item)) + "]}";
        return http.sendAsync(post(sender, "/transfers/bulk", body), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        return Collections.nCopies(count, answer(response));
                    }
                    List<Answer> answers = new ArrayList<>(count);
                    try {
                        for (JsonNode result : json.readTree(response.body()).path("results")) {
                            answers.add(new Answer(result.path("status").asInt(),
                                    result.path("problem").path("type").asText(null), 0));
                        }
                    } catch (IOException notJson) {
                        return Collections.nCopies(count, new Answer(response.statusCode(), null, 0));
                    }
                    return answers;
                })
                .exceptionally(dropped -> Collections.nCopies(count, new Answer(0, null, 0)));
    }

    /** The body of a GET without a token (dev mode's tokens), when it answers 200. */
    Optional<String> text(URI location) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(location).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    }

    private Answer answer(HttpResponse<String> response) {
        try {
            JsonNode body = json.readTree(response.body());
            return new Answer(response.statusCode(), body.path("type").asText(null), body.path("attempts").asInt(0));
        } catch (IOException notJson) {
            return new Answer(response.statusCode(), null, 0);
        }
    }

    /** A refusal as its reader needs it: the request, the status, and the problem's title and detail. */
    private IOException refused(String request, HttpResponse<String> response) {
        String problem = "";
        try {
            JsonNode body = json.readTree(response.body());
            problem = body.hasNonNull("title") ? " " + body.get("title").asText() : "";
            problem += body.hasNonNull("detail") ? ": " + body.get("detail").asText() : "";
        } catch (IOException notJson) {
            // the status alone, then
        }
        return new IOException(request + " answered " + response.statusCode() + problem);
    }

    private HttpRequest post(Token caller, String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + caller.jwt())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest get(Token caller, String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + caller.jwt())
                .GET()
                .build();
    }
}
