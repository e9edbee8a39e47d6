package org.acme.bank.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link EmbeddedPostgresResource} and {@link ManagementTestPort} for every Quarkus test of the module. */
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(ManagementTestPort.class)
public final class UsesPostgres {

    private UsesPostgres() {
    }
}
