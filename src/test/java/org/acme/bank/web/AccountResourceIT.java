package org.acme.bank.web;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class AccountResourceIT extends AccountResourceTest {
}
