package org.acme.bank.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.acme.bank.support.Bank;
import org.acme.bank.support.Bank.Transfer;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The packaged service pointed at an OpenID Connect provider by {@code quarkus.oidc.auth-server-url} alone: a provider
 * played here by a small HTTP server that publishes the tests' key and counts who asks for it. A hundred requests, each
 * with a token of its own, cost the provider no more key fetches than the service's start did: the keys are cached,
 * not fetched per request.
 */
class ProviderKeysIT {

    private static final int REQUESTS = 100;

    @Test
    void theProvidersKeysAreFetchedOnceNotPerRequest() throws Exception {
        AtomicInteger keyFetches = new AtomicInteger();
        HttpServer provider = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        String issuer = "http://localhost:" + provider.getAddress().getPort() + "/realms/bank";
        provider.createContext("/realms/bank/.well-known/openid-configuration", exchange -> answer(exchange, """
                {"issuer":"%s","jwks_uri":"%s/keys","id_token_signing_alg_values_supported":["RS256"],
                 "response_types_supported":["code"],"subject_types_supported":["public"]}""".formatted(issuer, issuer)));
        provider.createContext("/realms/bank/keys", exchange -> {
            keyFetches.incrementAndGet();
            answer(exchange, jwks());
        });
        provider.start();
        try (RestartablePostgres postgres = RestartablePostgres.start();
                ServiceProcess service = ServiceProcess.start("provider-keys-instance", Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("bank-service"),
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                        "QUARKUS_OIDC_AUTH_SERVER_URL", issuer,
                        "QUARKUS_OIDC_TOKEN_AUDIENCE", Tokens.AUDIENCE))) {
            Bank teller = Bank.at(service.uri()).as(Tokens.token("Tess").set("iss", issuer).groups("teller").sign());
            long alice = teller.openAccount("Alice", "1000.00");
            long bob = teller.openAccount("Bob", "0.00");
            int fetchesBefore = keyFetches.get();

            for (int i = 0; i < REQUESTS; i++) {
                // A token of its own each time: a token already verified is remembered, and would not need the keys.
                Bank asAlice = Bank.at(service.uri()).as(Tokens.token("Alice").set("iss", issuer).set("jti", "t" + i)
                        .sign());
                asAlice.send(new Transfer("pessimistic", alice, bob, "1.00")).expect(201);
            }
            Bank.at(service.uri()).as(Tokens.token("Alice").sign()).send(new Transfer("pessimistic", alice, bob, "1.00"))
                    .expectProblem(401, "/problems/unauthorized");

            assertTrue(fetchesBefore >= 1, "the keys were read to check the first tokens");
            assertEquals(fetchesBefore, keyFetches.get(), REQUESTS + " transfers fetched the keys again");
            assertEquals(0, new BigDecimal("900.00").compareTo(teller.balance(alice)));
        } finally {
            provider.stop(0);
        }
    }

    /** The tests' public key as a JSON Web Key Set. */
    private static String jwks() {
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(Tokens.publicKey())));
            return """
                    {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","n":"%s","e":"%s"}]}"""
                    .formatted(unsigned(key.getModulus()), unsigned(key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64url of the number's bytes, without the sign byte JWK leaves out. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int start = bytes[0] == 0 ? 1 : 0;
        return Tokens.base64Url(Arrays.copyOfRange(bytes, start, bytes.length));
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
