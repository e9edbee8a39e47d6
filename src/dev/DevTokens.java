import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dev mode's identity, made anew: a fresh RSA key whose public half dev mode trusts (src/dev/identity.properties), and
 * one long-lived token per sample user signed with it (src/dev/tokens/<user>, served at /dev/tokens/<user> in dev mode
 * only). The private half is thrown away. Nothing here is in any artifact. Run from the project's root, with a JDK
 * only:
 * {@code java src/dev/DevTokens.java}.
 */
public class DevTokens {

    static final String ISSUER = "https://dev.bank.example";
    static final String AUDIENCE = "bank-transfers";
    static final Duration LIFETIME = Duration.ofDays(5 * 365);

    /** The sample accounts' owners (src/dev/flyway) are customers; a teller and an auditor beside them. */
    static final Map<String, String> USERS = new LinkedHashMap<>();
    static {
        for (String customer : new String[] {"Alice", "Bob", "Carol", "Dave", "Erin"}) {
            USERS.put(customer, "");
        }
        USERS.put("Teller", "teller");
        USERS.put("Auditor", "auditor");
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        Path dev = Path.of("src", "dev");
        Files.writeString(dev.resolve("identity.properties"), """
                # Dev mode's identity (made by src/dev/DevTokens.java; never in an artifact): tokens of the sample users
                # in src/dev/tokens are signed with the private half of this key, which was thrown away.
                quarkus.oidc.public-key=%s
                quarkus.oidc.token.issuer=%s
                quarkus.oidc.token.audience=%s
                """.formatted(Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), ISSUER, AUDIENCE));
        Instant now = Instant.now();
        for (Map.Entry<String, String> user : USERS.entrySet()) {
            String groups = user.getValue().isEmpty() ? "[]" : "[\"" + user.getValue() + "\"]";
            String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + user.getKey()
                    + "\",\"groups\":" + groups + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":"
                    + now.plus(LIFETIME).getEpochSecond() + "}";
            String unsigned = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims);
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.getPrivate());
            signature.update(unsigned.getBytes(StandardCharsets.US_ASCII));
            Files.writeString(dev.resolve("tokens").resolve(user.getKey()),
                    unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign()));
        }
        System.out.println("Wrote src/dev/identity.properties and the tokens of " + String.join(", ", USERS.keySet())
                + " in src/dev/tokens");
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
