package org.acme.bank.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bearer tokens as an identity provider would issue them, signed with the tests' key (src/test/resources/identity,
 * trusted by the test profile and by every jar the tests start), and the defects a hostile client would try.
 */
public final class Tokens {

    /** Opens accounts with money (teller) and reads everything, audit included (auditor); moves no one's money. */
    public static final String OPERATOR = "Operator";

    /** Claims as ASCII, escaped: a subject may hold what UTF-8 cannot, such as an unpaired surrogate. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final Properties IDENTITY = load("identity/test-identity.properties");
    public static final String ISSUER = IDENTITY.getProperty("quarkus.oidc.token.issuer");
    public static final String AUDIENCE = IDENTITY.getProperty("quarkus.oidc.token.audience");
    private static final PrivateKey KEY = privateKey();

    private Tokens() {
    }

    /** Tokens already signed, by subject: load tests send thousands, and signing costs the client CPU. */
    private static final Map<String, String> CUSTOMERS = new ConcurrentHashMap<>();
    private static final String OPERATOR_TOKEN = token(OPERATOR).groups("teller", "auditor").sign();

    /** A customer's token: the subject and no role (valid for an hour: far longer than any test). */
    public static String customer(String subject) {
        return CUSTOMERS.computeIfAbsent(subject, unsigned -> token(subject).sign());
    }

    public static String teller(String subject) {
        return token(subject).groups("teller").sign();
    }

    public static String auditor(String subject) {
        return token(subject).groups("auditor").sign();
    }

    /** The test's all-seeing helper: a teller and an auditor in one. */
    public static String operator() {
        return OPERATOR_TOKEN;
    }

    /** A valid token for the subject, to change before signing. */
    public static Claims token(String subject) {
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", ISSUER)
                .put("aud", AUDIENCE)
                .put("sub", subject);
        Instant now = Instant.now();
        claims.put("iat", now.getEpochSecond()).put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        return new Claims(claims);
    }

    /**
     * Tokens that must each be refused with 401, by what is wrong with them: the subject's own claims every time, so
     * that only the defect named can be the reason.
     */
    public static Map<String, String> defective(String subject) {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alg none", token(subject).unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}") + ".");
        tokens.put("HMAC keyed with the public key", hmacWithThePublicKey(token(subject)));
        tokens.put("another key", token(subject).signWith(anotherKey()));
        tokens.put("expired", token(subject).set("iat", Instant.now().minus(Duration.ofHours(2)).getEpochSecond())
                .set("exp", Instant.now().minus(Duration.ofHours(1)).getEpochSecond()).sign());
        tokens.put("no expiry", token(subject).without("exp").sign());
        tokens.put("another issuer", token(subject).set("iss", "https://elsewhere.example").sign());
        tokens.put("another audience", token(subject).set("aud", "another-service").sign());
        tokens.put("no audience", token(subject).without("aud").sign());
        tokens.put("no subject", token(subject).without("sub").sign());
        tokens.put("a numeric subject", token(subject).set("sub", 42).sign());
        tokens.put("a subject with a control character", token(subject + "\u0000").sign());
        tokens.put("a subject with a C1 control character", token(subject + "\u0085").sign());
        // Stored, it would have become "Alice?", whoever holds the token of "Alice\udc00" or "Alice?".
        tokens.put("a subject with an unpaired surrogate", token(subject + "\ud800").sign());
        tokens.put("an invisible subject", token("\u200b\u00a0").sign());
        tokens.put("a subject drawn blank", token("\u3164\u2800\ufe0f").sign());
        tokens.put("a subject longer than 255", token("s".repeat(256)).sign());
        tokens.put("a subject longer than 255, beyond the BMP", token("\ud83d\ude00".repeat(256)).sign());
        tokens.put("signature cut", cut(token(subject).sign()));
        tokens.put("malformed", "not.a.jwt");
        tokens.put("dots alone", "..");
        tokens.put("characters no JWT has", token(subject).sign() + "!");
        tokens.put("issued in the future", token(subject).set("iat", Instant.now().plus(Duration.ofHours(1))
                .getEpochSecond()).set("exp", Instant.now().plus(Duration.ofHours(2)).getEpochSecond()).sign());
        // 16 KB in all, base64 included: within the service's header limit, so that the token itself is judged.
        tokens.put("16 KB", token(subject).set("padding", "x".repeat(11_900)).sign());
        return tokens;
    }

    private static String hmacWithThePublicKey(Claims claims) {
        String unsigned = claims.unsigned("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(publicKey()), "HmacSHA256"));
            return unsigned + "." + base64Url(mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String token) {
        return token.substring(0, token.length() - 8);
    }

    /** A key the service has never seen. */
    private static PrivateKey anotherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings under which a started jar trusts these tokens, as its environment. */
    public static Map<String, String> environment() {
        return Map.of("QUARKUS_OIDC_PUBLIC_KEY", publicKey(),
                "QUARKUS_OIDC_TOKEN_ISSUER", ISSUER, "QUARKUS_OIDC_TOKEN_AUDIENCE", AUDIENCE);
    }

    /** The public key the service trusts, base64 as it is configured. */
    public static String publicKey() {
        return IDENTITY.getProperty("quarkus.oidc.public-key");
    }

    /** The claims of one token; {@link #sign()} makes it. */
    public static final class Claims {

        private final ObjectNode claims;

        private Claims(ObjectNode claims) {
            this.claims = claims;
        }

        public Claims groups(String... groups) {
            claims.putArray("groups").addAll(List.of(groups).stream().map(JSON.getNodeFactory()::textNode).toList());
            return this;
        }

        public Claims set(String name, String value) {
            claims.put(name, value);
            return this;
        }

        public Claims set(String name, long value) {
            claims.put(name, value);
            return this;
        }

        public Claims set(String name, double value) {
            claims.put(name, value);
            return this;
        }

        public Claims without(String name) {
            claims.remove(name);
            return this;
        }

        public ObjectNode json() {
            return claims;
        }

        /** Signed with the tests' key, RS256. */
        public String sign() {
            return signWith(KEY);
        }

        public String signWith(PrivateKey key) {
            String unsigned = unsigned("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
            try {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(key);
                signature.update(unsigned.getBytes(StandardCharsets.US_ASCII));
                return unsigned + "." + base64Url(signature.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The header and claims as given, base64url-encoded and joined, without the signature's part. */
        public String unsigned(String header) {
            try {
                return base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                        + base64Url(JSON.writeValueAsBytes(claims));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Properties load(String resource) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(resource)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey privateKey() {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream("identity/test-private-key.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
