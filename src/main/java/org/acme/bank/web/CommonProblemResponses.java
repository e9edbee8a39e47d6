package org.acme.bank.web;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Writes the problem catalogue ({@link ProblemType}) into the OpenAPI document: the {@code type} values of the Problem
 * schema, and the problems every endpoint can answer on every operation, so that the resources annotate only their
 * own: 400 (invalid or malformed request), 413 and 415 for bodies, 503 (no database connection in time).
 */
public class CommonProblemResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Schema problemType = openAPI.getComponents().getSchemas().get("Problem").getProperties().get("type");
        problemType.setEnumeration(Arrays.stream(ProblemType.values()).<Object>map(ProblemType::type).toList());
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            APIResponses responses = operation.getResponses();
            add(responses, List.of(ProblemType.INVALID_REQUEST, ProblemType.MALFORMED_JSON),
                    "the request breaks a rule or is not JSON of the expected shape; nothing was changed");
            if (method == PathItem.HttpMethod.POST) {
                add(responses, List.of(ProblemType.PAYLOAD_TOO_LARGE), "the body is over quarkus.http.limits.max-body-size");
                add(responses, List.of(ProblemType.UNSUPPORTED_MEDIA_TYPE), "the body is not application/json");
            }
            add(responses, List.of(ProblemType.DATABASE_UNAVAILABLE),
                    "the database could not serve the request in time; nothing was changed; see Retry-After");
        }));
    }

    private static void add(APIResponses responses, List<ProblemType> types, String when) {
        String status = String.valueOf(types.get(0).status());
        if (!responses.hasAPIResponse(status)) {
            String description = types.stream().map(ProblemType::type).collect(Collectors.joining(" or ")) + ": " + when;
            Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problem));
        }
    }
}
