package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.junit.jupiter.api.Test;

/**
 * The page at / and its files under a strict Content-Security-Policy (LabPageIT shows the page still works under it),
 * and every answer with nosniff, no framing, no referrer.
 */
@QuarkusTest
class PageHeadersTest {

    private final Bank bank = Bank.app();

    @Test
    void thePageAndItsFilesCarryAStrictContentSecurityPolicy() {
        for (String path : List.of("/", "/index.html", "/lab.js", "/lab.css")) {
            Answer page = bank.get(path).expect(200);
            String policy = page.header("Content-Security-Policy").orElse("");
            assertTrue(policy.startsWith("default-src 'none'; script-src 'self'; style-src 'self'"), path + ": " + policy);
            assertTrue(policy.contains("frame-ancestors 'none'"), path + ": " + policy);
            assertSafeHeaders(page, path);
        }
    }

    @Test
    void everyAnswerForbidsSniffingAndFraming() {
        assertSafeHeaders(bank.get("/accounts").expect(200), "/accounts");
        assertSafeHeaders(bank.get("/accounts/0").expect(400), "/accounts/0");
        assertSafeHeaders(bank.get("/no-such-page").expect(404), "/no-such-page");
    }

    private static void assertSafeHeaders(Answer answer, String path) {
        assertEquals("nosniff", answer.header("X-Content-Type-Options").orElse(null), path);
        assertEquals("DENY", answer.header("X-Frame-Options").orElse(null), path);
        assertEquals("no-referrer", answer.header("Referrer-Policy").orElse(null), path);
    }
}
