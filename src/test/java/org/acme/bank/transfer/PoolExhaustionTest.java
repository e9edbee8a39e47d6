package org.acme.bank.transfer;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.acme.bank.support.Bank;
import org.junit.jupiter.api.Test;

/** With every pooled connection taken, a transfer is answered 503 after the acquisition timeout, not left hanging. */
@QuarkusTest
@TestProfile(PoolExhaustionTest.TinyPool.class)
class PoolExhaustionTest {

    public static class TinyPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "2", "quarkus.datasource.jdbc.acquisition-timeout", "1s");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void anExhaustedPoolIsUnavailableNotAnError() throws Exception {
        long alice = Bank.openAccount("Alice", "10.00");
        long bob = Bank.openAccount("Bob", "10.00");

        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            Bank.transfer("pessimistic", alice, bob, "1.00")
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("1"))
                    .body("type", equalTo("/problems/database-unavailable"));
        }

        Bank.transfer("pessimistic", alice, bob, "1.00").then().statusCode(201);
        assertEquals(new BigDecimal("9.00"), Bank.balance(alice));
    }
}
