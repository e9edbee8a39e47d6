package org.acme.bank.transfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

/**
 * The optimistic strategy relies on Hibernate flushing account updates in id order, so that the row locks taken at
 * flush are always taken lowest id first. Quarkus turns hibernate.order_updates on by itself; this fails if it stops.
 */
@QuarkusTest
class FlushOrderTest {

    @Inject
    EntityManagerFactory entityManagerFactory;

    @Test
    void updatesAreFlushedInIdOrder() {
        assertTrue(entityManagerFactory.unwrap(SessionFactoryImplementor.class)
                .getSessionFactoryOptions().isOrderUpdatesEnabled());
    }
}
