package org.acme.bank.transfer;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The article's demonstration: 100ms between the first and the second lock widens the race window. */
public class ArticleScenarioProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bank.transfer.pause-between-locks", "100ms");
    }
}
