package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.RawHttp;
import org.acme.bank.support.Tokens;
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
    void everyAnswerOfTheApiForbidsSniffingAndFraming() throws Exception {
        assertSafeHeaders(bank.get("/accounts").expect(200), "/accounts");
        assertSafeHeaders(bank.get("/accounts/0").expect(400), "/accounts/0");
        assertSafeHeaders(bank.get("/no-such-page").expect(404), "/no-such-page");
        // Only the head, declaring the body: Java's HttpClient gives up an exchange whose connection the service
        // closes while the body is still being sent, and never reads the 413.
        RawHttp.Answer tooLarge = RawHttp.declare(URI.create(RestAssured.baseURI + ":" + RestAssured.port), "POST",
                "/accounts", Map.of("Authorization", "Bearer " + Tokens.operator(), "Content-Type", "application/json"),
                20_000);
        assertEquals(413, tooLarge.status(), tooLarge.body());
        assertEquals("nosniff", tooLarge.header("X-Content-Type-Options"), "a body over the limit");
        assertEquals("DENY", tooLarge.header("X-Frame-Options"), "a body over the limit");
        assertEquals("no-referrer", tooLarge.header("Referrer-Policy"), "a body over the limit");
    }

    /** The policy is the page's: elsewhere (Swagger UI in dev mode runs inline scripts) it would break things. */
    @Test
    void theApiAndTheDocumentCarryNoPagePolicy() {
        for (String path : List.of("/accounts", "/q/openapi", "/lab.jsx", "/index.html/")) {
            assertTrue(bank.get(path).header("Content-Security-Policy").isEmpty(), path);
        }
    }

    private static void assertSafeHeaders(Answer answer, String path) {
        assertEquals("nosniff", answer.header("X-Content-Type-Options").orElse(null), path);
        assertEquals("DENY", answer.header("X-Frame-Options").orElse(null), path);
        assertEquals("no-referrer", answer.header("Referrer-Policy").orElse(null), path);
    }
}
