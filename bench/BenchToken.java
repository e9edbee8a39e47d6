import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The benchmarks' bearer token: RS256, signed with the tests' key (src/test/resources/identity), whose public half the
 * bench scripts make the service they start trust; for the subject given, with the roles named after it (none: a
 * customer), valid for a few hours; printed on standard output. Run from the project's root, with a JDK only:
 * {@code java bench/BenchToken.java <subject> [teller] [auditor]}.
 */
public class BenchToken {

    static final Path IDENTITY = Path.of("src", "test", "resources", "identity");
    /** Longer than the longest bench run (a large ledger written, then measured), short enough to be thrown away. */
    static final Duration LIFETIME = Duration.ofHours(6);

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length == 0 || args[0].isBlank()) {
            System.err.println("Usage: java bench/BenchToken.java <subject> [role...]");
            System.exit(2);
        }
        Properties identity = new Properties();
        try (Reader in = Files.newBufferedReader(IDENTITY.resolve("test-identity.properties"))) {
            identity.load(in);
        }
        Instant now = Instant.now();
        String groups = Arrays.stream(args).skip(1).map(BenchToken::json).collect(Collectors.joining(",", "[", "]"));
        String claims = "{\"iss\":" + json(identity.getProperty("quarkus.oidc.token.issuer"))
                + ",\"aud\":" + json(identity.getProperty("quarkus.oidc.token.audience"))
                + ",\"sub\":" + json(args[0]) + ",\"groups\":" + groups
                + ",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(LIFETIME).getEpochSecond() + "}";
        String unsigned = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(privateKey());
        signature.update(unsigned.getBytes(StandardCharsets.US_ASCII));
        System.out.println(unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign()));
    }

    private static PrivateKey privateKey() throws IOException, GeneralSecurityException {
        String pem = Files.readString(IDENTITY.resolve("test-private-key.pem"), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    /** A JSON string: a subject may hold quotes or backslashes. */
    private static String json(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
