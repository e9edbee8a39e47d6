package org.acme.bank.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds the problems every endpoint can answer to every operation of the OpenAPI document, so that the resources
 * annotate only their own: 400 (invalid or malformed request), 413 and 415 for bodies, 503 (no database connection in
 * time).
 */
public class CommonProblemResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            APIResponses responses = operation.getResponses();
            add(responses, "400", "/problems/invalid-request or /problems/malformed-json: the request breaks a rule "
                    + "or is not JSON of the expected shape; nothing was changed");
            if (method == PathItem.HttpMethod.POST) {
                add(responses, "413", "/problems/payload-too-large: the body is over quarkus.http.limits.max-body-size");
                add(responses, "415", "/problems/unsupported-media-type: the body is not application/json");
            }
            add(responses, "503", "/problems/database-unavailable: no database connection in time; see Retry-After");
        }));
    }

    private static void add(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problem));
        }
    }
}
