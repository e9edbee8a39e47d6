package org.acme.bank.web;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SmokeTest {
    @Test
    void smoke() {
        given().contentType("application/json").body("{\"owner\":\"A\",\"balance\":10}").post("/accounts").then().log().all();
        given().contentType("application/json").body("{\"owner\":\"A\",\"balance\":10.123}").post("/accounts").then().log().all();
        given().contentType("application/json").body("{\"owner\":").post("/accounts").then().log().all();
        given().contentType("application/json").body("[]").post("/accounts").then().log().all();
        given().contentType("application/json").body("null").post("/accounts").then().log().all();
        given().contentType("application/json").body("").post("/accounts").then().log().all();
        given().contentType("text/plain").body("x").post("/accounts").then().log().all();
        given().contentType("application/json").body("{\"from\":1.5,\"to\":2,\"amount\":1}").post("/transfers/pessimistic").then().log().all();
        given().contentType("application/json").body("{\"from\":1,\"to\":1,\"amount\":1}").post("/transfers/pessimistic").then().log().all();
        given().contentType("application/json").body("{\"from\":1,\"to\":2,\"amount\":1}").post("/transfers/nope").then().log().all();
        given().get("/accounts?page=abc").then().log().all();
        given().get("/accounts/abc").then().log().all();
        given().get("/nothing").then().log().all();
        given().delete("/accounts").then().log().all();
        given().get("/audit").then().log().all();
    }
}
