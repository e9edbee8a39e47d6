package org.acme.bank.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml, which readers browse, Redocly lints in .ci/run and the generated client is built from, is the
 * document the packaged service serves.
 */
@QuarkusIntegrationTest
class OpenApiDocumentIT {

    private static final Path PUBLISHED = Path.of("docs", "openapi.yaml");
    private static final Path SERVED = Path.of("target", "openapi-served.yaml");

    @Test
    void thePublishedDocumentIsTheServedOne() throws IOException {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        Files.writeString(SERVED, served);

        String published = Files.exists(PUBLISHED) ? Files.readString(PUBLISHED) : "";
        assertEquals(served, published, PUBLISHED + " differs from what the service serves; if the API change is "
                + "meant, publish it: cp " + SERVED + " " + PUBLISHED);
    }
}
