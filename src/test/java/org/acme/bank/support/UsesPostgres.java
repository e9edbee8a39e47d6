package org.acme.bank.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link EmbeddedPostgresResource} for every Quarkus test of the module. */
@QuarkusTestResource(EmbeddedPostgresResource.class)
public final class UsesPostgres {

    private UsesPostgres() {
    }
}
