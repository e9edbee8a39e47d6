package org.acme.bank.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.acme.bank.support.ServiceProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A setting that breaks its rule stops the packaged service at startup, with a line naming the setting and rule. */
class SettingsIT {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            BANK_TRANSFER_OPTIMISTIC_MAX_ATTEMPTS     | 0     | bank.transfer.optimistic.max-attempts must be greater than or equal to 1
            BANK_TRANSFER_OPTIMISTIC_BACKOFF_INITIAL  | 1s    | bank.transfer.optimistic backoff-initial must not be greater than backoff-max
            BANK_TRANSFER_OPTIMISTIC_BACKOFF_MAX      | -5ms  | bank.transfer.optimistic.backoff-max must not be negative
            BANK_TRANSFER_LOCK_TIMEOUT                | 0s    | bank.transfer.lock-timeout must be at least 1ms
            BANK_AUDIT_TIMEOUT                        | PT0.0005S | bank.audit.timeout must be at least 1ms
            BANK_IDEMPOTENCY_PURGE_EVERY              | 0s    | bank.idempotency.purge-every must be at least 1s
            BANK_TRANSFER_PAUSE_BETWEEN_LOCKS         | -1s   | bank.transfer.pause-between-locks must not be negative
            BANK_TRANSFER_BATCHED_MAX_SIZE            | 0     | bank.transfer.batched.max-size must be greater than or equal to 1
            BANK_TRANSFER_BATCHED_MAX_WAIT            | -1s   | bank.transfer.batched.max-wait must be a positive duration
            BANK_IDEMPOTENCY_RETENTION                | 0s    | bank.idempotency.retention must be a positive duration
            BANK_TRANSFER_BATCHED_DRAIN_TIMEOUT       | 0s    | bank.transfer.batched.drain-timeout must be at least 1ms
            """)
    void aSettingThatBreaksItsRuleStopsStartupNamingIt(String variable, String value, String expectedLine)
            throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:1/never-reached",
                "QUARKUS_DATASOURCE_USERNAME", "nobody",
                "QUARKUS_DATASOURCE_PASSWORD", "nothing"));
        environment.put(variable, value);

        String log = ServiceProcess.refusedStartLog("settings-" + variable.toLowerCase(), environment);

        assertTrue(log.contains(expectedLine), "expected \"" + expectedLine + "\" in:\n" + log);
    }
}
