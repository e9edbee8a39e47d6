package org.acme.bank.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/** The packaged application runs with the production profile. */
@QuarkusIntegrationTest
class ProductionProfileIT {

    private final Bank bank = Bank.app();

    @Test
    void theDeadlockDemonstrationIsOff() {
        long alice = bank.openAccount("Alice", "10.00");
        long bob = bank.openAccount("Bob", "10.00");

        bank.transfer("naive", alice, bob, "1.00")
                .expectProblem(404, "/problems/unknown-strategy");
        bank.asCustomer("Alice").post("/transactions/naive", "{\"legs\":[{\"from\":" + alice + ",\"to\":" + bob
                + ",\"amount\":1},{\"from\":" + alice + ",\"to\":" + bob + ",\"amount\":1}]}", Map.of())
                .expectProblem(404, "/problems/unknown-strategy");
        given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths", not(hasKey("/transfers/naive")))
                .body("paths", not(hasKey("/transactions/naive")))
                .body("paths", hasKey("/transfers/pessimistic"))
                .body("paths", hasKey("/transactions/pessimistic"));
        assertEquals(new BigDecimal("10.00"), bank.balance(alice));
    }

    @Test
    void theDevSampleAccountsAreNotCreated() {
        given().auth().oauth2(Tokens.operator()).queryParam("size", 1000).get("/accounts")
                .then().statusCode(200)
                .body("owner", not(hasItem("Erin")));
    }
}
