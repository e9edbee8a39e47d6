package org.acme.bank.ops;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class OperationsIT extends OperationsTest {
}
