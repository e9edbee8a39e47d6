package org.acme.bank.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;

/** The packaged application runs with the production profile. */
@QuarkusIntegrationTest
class ProductionProfileIT {

    @Test
    void theDeadlockDemonstrationIsOff() {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "10.00");

        Bank.transfer("naive", alice, bob, "1.00")
                .then().statusCode(404)
                .body("type", equalTo("/problems/unknown-strategy"));
        given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths", not(hasKey("/transfers/naive")))
                .body("paths", hasKey("/transfers/pessimistic"));
    }

    @Test
    void theDevSampleAccountsAreNotCreated() {
        given().queryParam("size", 1000).get("/accounts")
                .then().statusCode(200)
                .body("owner", not(hasItem("Erin")));
    }
}
