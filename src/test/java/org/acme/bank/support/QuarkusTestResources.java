package org.acme.bank.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers {@link EmbeddedPostgresResource}, {@link ManagementTestPort} and {@link TestIdentity} for every Quarkus test
 * of the module.
 */
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(ManagementTestPort.class)
@QuarkusTestResource(TestIdentity.class)
public final class QuarkusTestResources {

    private QuarkusTestResources() {
    }
}
