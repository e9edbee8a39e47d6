package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.StringPermission;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

import org.acme.bank.support.Bank;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Verified tokens are remembered no longer than they are valid, nor than the max age, never beyond the size, and never
 * with the attributes of the request that verified them; over HTTP, a remembered token stops working when it expires
 * and does not vouch for a token that differs from it.
 */
@QuarkusTest
class VerifiedTokensTest {

    private static final long NOW = 1_000_000_000_000L;

    private final Bank bank = Bank.app();
    private final AtomicLong clock = new AtomicLong(NOW);

    @Inject
    VerifiedTokens verifiedTokens;

    @Test
    void aRememberedTokenIsRefusedOnceItHasExpired() throws InterruptedException {
        long alice = bank.openAccount("Alice", "0.00");
        long expiresAt = Instant.now().plusSeconds(3).getEpochSecond();
        String token = Tokens.token("Alice").set("exp", expiresAt).sign();
        Bank holder = bank.as(token);

        holder.get("/accounts/" + alice).expect(200);
        assertNotNull(verifiedTokens.identityOf(token), "a token verified once is remembered");
        holder.get("/accounts/" + alice).expect(200);
        while (Instant.now().getEpochSecond() <= expiresAt) {
            Thread.sleep(100);
        }

        holder.get("/accounts/" + alice).expectProblem(401, "/problems/unauthorized");
        assertNull(verifiedTokens.identityOf(token));
    }

    @Test
    void aTokenThatDiffersFromARememberedOneIsVerifiedAndRefused() {
        String token = Tokens.customer("Alice");
        bank.as(token).get("/accounts").expect(200);
        assertNotNull(verifiedTokens.identityOf(token));

        // A character inside the signature, where every bit of it counts.
        int inSignature = token.length() - 20;
        String altered = token.substring(0, inSignature) + (token.charAt(inSignature) == 'A' ? 'B' : 'A')
                + token.substring(inSignature + 1);

        bank.as(altered).get("/accounts").expectProblem(401, "/problems/unauthorized");
        assertNull(verifiedTokens.identityOf(altered));
        assertNotNull(verifiedTokens.identityOf(token));
    }

    /**
     * The wiring: a token remembered is answered from memory, before the OIDC provider, which would refuse this one (it
     * has a JWT's three parts, but they decode to none), and with the asking request's attributes, not those of the
     * request that verified it.
     */
    @Test
    void aRememberedTokenIsAnsweredBeforeTheOidcProviderIsAsked() {
        String token = Tokens.customer("Alice");
        bank.as(token).get("/accounts").expect(200);
        String stand = "remembered.as-if.verified";
        verifiedTokens.remember(stand, verifiedTokens.identityOf(token),
                Instant.now().plusSeconds(60).getEpochSecond());

        bank.as(stand).get("/accounts").expect(200);
        bank.as(stand + "-not-remembered").get("/accounts").expectProblem(401, "/problems/unauthorized");
        SecurityIdentity answered = verifiedTokens.authenticate(
                new TokenAuthenticationRequest(new AccessTokenCredential(stand)), null).await().indefinitely();
        assertEquals("Alice", answered.getPrincipal().getName());
        assertNull(answered.getAttribute(RoutingContext.class.getName()), "the verifying request's routing context");
    }

    @Test
    void aTokenIsRememberedUntilItExpiresOrForTheMaxAgeWhicheverIsSooner() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), clock::get);
        SecurityIdentity shortLived = identity("short");
        SecurityIdentity longLived = identity("long");
        tokens.remember("short", shortLived, NOW / 1000 + 60);
        tokens.remember("long", longLived, NOW / 1000 + 3600);

        clock.set(NOW + 59_999);
        assertEquals("short", tokens.identityOf("short").getPrincipal().getName());
        clock.set(NOW + 60_000);
        assertNull(tokens.identityOf("short"), "expired");
        clock.set(NOW + 299_999);
        assertEquals("long", tokens.identityOf("long").getPrincipal().getName());
        clock.set(NOW + 300_000);
        assertNull(tokens.identityOf("long"), "past the max age");
        assertEquals(0, tokens.size());
    }

    @Test
    void aFullCacheDropsTheExpiredAndOtherwiseRemembersNothingMore() {
        VerifiedTokens tokens = new VerifiedTokens(2, Duration.ofMinutes(5), clock::get);
        tokens.remember("first", identity("first"), NOW / 1000 + 10);
        tokens.remember("second", identity("second"), NOW / 1000 + 3600);
        tokens.remember("third", identity("third"), NOW / 1000 + 3600);
        assertNull(tokens.identityOf("third"), "full");
        assertEquals(2, tokens.size());

        clock.set(NOW + 10_000);
        tokens.remember("third", identity("third"), NOW / 1000 + 3600);
        assertNotNull(tokens.identityOf("third"), "the first had expired and made room");
        assertNull(tokens.identityOf("first"));
        assertEquals(2, tokens.size());
    }

    @Test
    void sizeZeroRemembersNothingAndAnExpiredOrFarExpiryIsHandled() {
        VerifiedTokens none = new VerifiedTokens(0, Duration.ofMinutes(5), clock::get);
        none.remember("token", identity("a"), NOW / 1000 + 3600);
        assertEquals(0, none.size());

        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), clock::get);
        tokens.remember("expired", identity("a"), NOW / 1000);
        assertNull(tokens.identityOf("expired"));
        tokens.remember("far", identity("b"), Long.MAX_VALUE);
        clock.set(NOW + 300_000);
        assertNull(tokens.identityOf("far"), "the max age bounds an expiry too far to count in milliseconds");
    }

    /**
     * Nothing of the verifying request is kept, not even through the original identity: a copy that asked the
     * original for permissions would keep it, and with it the request (its routing context, its body).
     */
    @Test
    void theVerifyingRequestIsNotKept() {
        VerifiedTokens tokens = new VerifiedTokens(10, Duration.ofMinutes(5), clock::get);
        AtomicBoolean originalAsked = new AtomicBoolean();
        SecurityIdentity verifying = QuarkusSecurityIdentity.builder(identity("a")).addRole("teller")
                .addAttribute(RoutingContext.class.getName(), new Object()).addAttribute("tenant-id", "Default")
                .addPermissionChecker(permission -> {
                    originalAsked.set(true);
                    return Uni.createFrom().item(false);
                }).build();
        tokens.remember("token", verifying, NOW / 1000 + 3600);

        SecurityIdentity remembered = tokens.identityOf("token");
        assertEquals("a", remembered.getPrincipal().getName());
        assertTrue(remembered.hasRole("teller"));
        assertSame("Default", remembered.getAttribute("tenant-id"));
        assertNull(remembered.getAttribute(RoutingContext.class.getName()));
        remembered.checkPermissionBlocking(new StringPermission("any"));
        assertFalse(originalAsked.get(), "the remembered identity still refers to the verifying one");
    }

    private static SecurityIdentity identity(String subject) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(subject)).build();
    }
}
