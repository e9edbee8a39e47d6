package org.acme.bank.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.acme.bank.transfer.ArticleScenarioProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attack client against the running service, in the article's scenario (100ms between the two locks). */
@QuarkusTest
@TestProfile(ArticleScenarioProfile.class)
class AttackClientTest {

    @Test
    void showsDeadlocksForNaiveOnlySideBySide(@TempDir Path reportDirectory) throws Exception {
        String url = RestAssured.baseURI + ":" + RestAssured.port;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String args = "--url " + url + " --strategy all --users 8 --transfers 3 --report " + reportDirectory;

        int exitStatus = AttackClient.run(AttackOptions.parse(args.split(" ")), args, new PrintStream(printed, true));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitStatus, output);
        assertTrue(output.contains("❌ DEADLOCK: "), output);
        assertTrue(output.matches("(?s).*\\ndeadlocks +0 +0 +0 +[1-9]\\d*\\n.*"), "deadlocks for naive only:\n" + output);
        assertTrue(output.matches("(?s).*\\nsucceeded +24 +.*"), "pessimistic completes all 24:\n" + output);
        assertTrue(output.matches("(?s).*\\nmoney conserved +yes +yes +yes +yes\\n.*"), output);
        assertTrue(Files.readString(reportDirectory.resolve("report.md")).contains("| deadlocks | 0 | 0 | 0 |"));
        assertTrue(Files.readString(reportDirectory.resolve("chart.svg")).contains("<polyline"));
    }

    @Test
    void printsOneMachineReadableLine() throws Exception {
        String url = RestAssured.baseURI + ":" + RestAssured.port;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String args = "--url " + url + " --strategy pessimistic --users 2 --transfers 2 --accounts 5 --zipf 1 --json";

        int exitStatus = AttackClient.run(AttackOptions.parse(args.split(" ")), args, new PrintStream(printed, true));

        String output = printed.toString(StandardCharsets.UTF_8).trim();
        assertEquals(0, exitStatus, output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.contains("\"strategy\":\"pessimistic\"") && output.contains("\"succeeded\":4")
                && output.contains("\"moneyConserved\":true"), output);
    }
}
