package org.acme.bank.support;

import static io.restassured.RestAssured.given;

import java.math.BigDecimal;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

/** The service's HTTP API as the tests use it. Every test opens its own accounts. */
public final class Bank {

    public static final JsonPathConfig EXACT_NUMBERS =
            JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL);

    private Bank() {
    }

    public static long openAccount(String owner, String balance) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("owner", owner, "balance", new BigDecimal(balance)))
                .post("/accounts")
                .then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    public static BigDecimal balance(long accountId) {
        return given().get("/accounts/{id}", accountId)
                .then().statusCode(200)
                .extract().jsonPath(EXACT_NUMBERS).get("balance");
    }

    public static Response transfer(String strategy, long from, long to, String amount) {
        return given().contentType(ContentType.JSON)
                .body("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}")
                .post("/transfers/{strategy}", strategy);
    }

    /** The same transfer under an {@code Idempotency-Key}. */
    public static Response transfer(String strategy, String key, long from, long to, String amount) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + amount + "}")
                .post("/transfers/{strategy}", strategy);
    }

    public static JsonPath audit() {
        return given().get("/audit").then().statusCode(200).extract().jsonPath(EXACT_NUMBERS);
    }

    public static int transferCount(long accountId) {
        return given().queryParam("size", 1000).get("/accounts/{id}/transfers", accountId)
                .then().statusCode(200)
                .extract().jsonPath().getList("$").size();
    }
}
