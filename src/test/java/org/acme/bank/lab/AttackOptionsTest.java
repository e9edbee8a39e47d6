package org.acme.bank.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttackOptionsTest {

    @Test
    void theArticlesCommandLine() {
        AttackOptions options = AttackOptions.parse(
                "--url http://localhost:8080 --strategy naive --users 8 --transfers 3".split(" "));

        assertEquals(URI.create("http://localhost:8080"), options.url());
        assertEquals(List.of("naive"), options.strategies());
        assertEquals(List.of(8), options.concurrencies());
        assertEquals(24, options.requestsPerRun(8));
        assertEquals(2, options.accounts());
    }

    @Test
    void defaultsRunEveryStrategyWithTheTokensDevModeServes() {
        AttackOptions options = AttackOptions.parse(new String[0]);

        assertEquals(List.of("pessimistic", "optimistic", "batched", "naive"), options.strategies());
        assertEquals(new BigDecimal("10.00"), options.amount());
        assertEquals(0, options.zipf());
        assertNull(options.tokens(), "read from /dev/tokens when the attack starts");
        assertNull(options.tokensFrom());
    }

    @Test
    void tokensWithoutARoleAreTheOwnersAndRolesMakeTheTellerAndTheAuditor() {
        AttackOptions options = AttackOptions.parse(("--token " + Tokens.customer("Ann") + " --token "
                + Tokens.auditor("Ada") + " --token " + Tokens.customer("Ben") + " --token " + Tokens.teller("Ted"))
                .split(" "));

        LabTokens tokens = options.tokens();
        assertEquals(List.of("Ann", "Ben"), tokens.owners().stream().map(Token::subject).toList());
        assertEquals(Tokens.customer("Ann"), tokens.owners().get(0).jwt(), "sent as given");
        assertEquals(Optional.of("Ted"), tokens.teller().map(Token::subject));
        assertEquals(Optional.of("Ada"), tokens.auditor().map(Token::subject));
        assertEquals(tokens, options.forWarmup().tokens(), "the warm-up sends the same tokens");
        assertFalse(tokens.toString().contains(Tokens.customer("Ann")), "a token is never printed: " + tokens);
    }

    @Test
    void keycloakRealmRolesCountAsRoles() {
        Tokens.Claims claims = Tokens.token("Kim");
        claims.json().putObject("realm_access").putArray("roles").add("offline_access").add("teller");

        Token token = Token.of(claims.sign());

        assertTrue(token.teller() && !token.auditor(), token.toString());
    }

    @Test
    void tokensFromADirectoryOrAUrl() {
        assertEquals("src/dev/tokens", AttackOptions.parse("--tokens-from src/dev/tokens".split(" ")).tokensFrom());
        assertEquals("http://localhost:8080/dev/tokens",
                AttackOptions.parse("--tokens-from http://localhost:8080/dev/tokens".split(" ")).tokensFrom());
    }

    @Test
    void refusesTokensItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> AttackOptions.parse(new String[] {"--token", "not.a.jwt"}));
        assertThrows(IllegalArgumentException.class,
                () -> AttackOptions.parse(new String[] {"--token", Tokens.token("Nobody").without("sub").sign()}));
        IllegalArgumentException onlyATeller = assertThrows(IllegalArgumentException.class,
                () -> AttackOptions.parse(new String[] {"--token", Tokens.teller("Ted")}));
        assertTrue(onlyATeller.getMessage().contains("no owner's token"), onlyATeller.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttackOptions.parse(
                new String[] {"--token", Tokens.customer("Ann"), "--tokens-from", "src/dev/tokens"}));
    }

    @Test
    void sweepDurationSkewAndOpenLoop() {
        AttackOptions options = AttackOptions.parse(
                "--sweep 1,2,4 --duration 30s --accounts 100000 --zipf 1.0 --rate 500 --json --report out --warmup 5s"
                        .split(" "));

        assertEquals(List.of(1, 2, 4), options.concurrencies());
        assertEquals(Duration.ofSeconds(30), options.duration());
        assertEquals(15000, options.requestsPerRun(4));
        assertEquals(100000, options.accounts());
        assertTrue(options.json());
        assertEquals("out", options.reportDirectory().toString());
        AttackOptions warmup = options.forWarmup();
        assertEquals(Duration.ofSeconds(5), warmup.duration());
        assertTrue(warmup.json() && warmup.rate() == 0 && warmup.reportDirectory() == null);
    }

    @Test
    void bulkRequestsOfAChosenSize() {
        AttackOptions options = AttackOptions.parse("--strategy bulk --bulk 1000".split(" "));
        assertEquals(List.of("bulk"), options.strategies());
        assertEquals(1000, options.bulk());
        assertEquals(100, AttackOptions.parse(new String[0]).bulk());
        assertEquals(1000, options.forWarmup().bulk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--strategy yolo", "--users 0", "--accounts 1", "--accounts 100001", "--zipf -1",
            "--amount 0.001", "--duration soon", "--users", "--bogus 1", "--token", "--tokens-from", "--bulk 0",
            "--bulk 1001"})
    void refusesWhatItCannotRun(String args) {
        assertThrows(IllegalArgumentException.class, () -> AttackOptions.parse(args.split(" ")));
    }
}
