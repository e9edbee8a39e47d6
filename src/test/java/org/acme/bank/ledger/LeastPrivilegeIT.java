package org.acme.bank.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Books;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * The deployment with two roles: Flyway migrates as the schema's owner, the service runs as a role that may only read
 * and write rows, also when the roles are split after the schema was first migrated with one. The service works as
 * before; that role can change no table, truncate nothing, and neither update nor delete the ledger; and the ledger
 * refuses TRUNCATE even from its owner.
 */
class LeastPrivilegeIT {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Test
    void theServiceRunsWithRowAccessOnlyAndTheLedgerStaysAppendOnly() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start()) {
            try (Connection admin = postgres.connect(); Statement statement = admin.createStatement()) {
                statement.execute("create role bank_owner login password 'owner'");
                statement.execute("create role bank_service login password 'service'");
                statement.execute("create database bank owner bank_owner");
            }
            String url = "jdbc:postgresql://localhost:" + postgres.port() + "/bank";
            // First deployed with one role, as the compose stack and the manifests are; split later.
            try (ServiceProcess oneRole = ServiceProcess.start("least-privilege-one-role", Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", url,
                    "QUARKUS_DATASOURCE_USERNAME", "bank_owner",
                    "QUARKUS_DATASOURCE_PASSWORD", "owner"))) {
                Bank.at(oneRole.uri()).openAccount("Before the split", "1.00");
            }
            try (ServiceProcess service = ServiceProcess.start("least-privilege-instance", Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", url,
                    "QUARKUS_DATASOURCE_USERNAME", "bank_service",
                    "QUARKUS_DATASOURCE_PASSWORD", "service",
                    "QUARKUS_FLYWAY_USERNAME", "bank_owner",
                    "QUARKUS_FLYWAY_PASSWORD", "owner"))) {
                Bank bank = Bank.at(service.uri());
                long alice = bank.openAccount("Alice", "100.00");
                long bob = bank.openAccount("Bob", "0.00");
                for (String strategy : List.of("pessimistic", "optimistic", "batched")) {
                    bank.transfer(strategy, "least-" + strategy, alice, bob, "10.00").expect(201);
                    bank.transfer(strategy, "least-" + strategy, alice, bob, "10.00").expect(200);
                }
                bank.transfer("pessimistic", alice, bob, "1000.00").expectProblem(422, "/problems/insufficient-funds");
                assertEquals(new BigDecimal("70.00"), bank.balance(alice));
                Books.assertAuditConsistent(bank);
            }

            try (Connection asService = DriverManager.getConnection(url, "bank_service", "service");
                    Statement statement = asService.createStatement()) {
                for (String forbidden : List.of("truncate transfer", "truncate idempotency_key",
                        "update transfer set amount = amount", "delete from transfer", "delete from hold",
                        "delete from audit_checkpoint",
                        "drop trigger transfer_append_only on transfer", "alter table account add column note text",
                        "create table shadow (id bigint)")) {
                    SQLException refused = assertThrows(SQLException.class, () -> statement.execute(forbidden),
                            forbidden);
                    assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), forbidden + ": " + refused.getMessage());
                }
            }
            try (Connection asOwner = DriverManager.getConnection(url, "bank_owner", "owner");
                    Statement statement = asOwner.createStatement()) {
                SQLException refused = assertThrows(SQLException.class,
                        () -> statement.execute("truncate transfer, idempotency_key, hold, hold_key"));
                assertEquals("P0001", refused.getSQLState(), refused.getMessage());
            }
        }
    }
}
