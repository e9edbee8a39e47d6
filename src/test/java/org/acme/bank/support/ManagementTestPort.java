package org.acme.bank.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The packaged application under {@code @QuarkusIntegrationTest} answers health and metrics on the management test
 * port, as {@code @QuarkusTest} does ({@link Metrics#management()}); left alone it would take production's 9000.
 */
public class ManagementTestPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.management.port", String.valueOf(Metrics.managementTestPort()));
    }

    @Override
    public void stop() {
        // Nothing was started.
    }
}
