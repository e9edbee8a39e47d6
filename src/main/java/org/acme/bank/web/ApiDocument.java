package org.acme.bank.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Writes what the annotations would repeat into the OpenAPI document:
 * <ul>
 * <li>the problem catalogue ({@link ProblemType}): the {@code type} values of the Problem schema;</li>
 * <li>the answers of the four transfer operations, the same for each but for the conflicts their strategy can
 * lose;</li>
 * <li>the problems every operation can answer: 400, 413 and 415 for bodies, 503 when no connection came in time;</li>
 * <li>an example of every problem each answer names.</li>
 * </ul>
 */
public class ApiDocument implements OASFilter {

    private static final Pattern PROBLEM_TYPE = Pattern.compile("/problems/([a-z-]+)");

    /** The conflicts each strategy can answer 409 with; the others are retried inside or cannot happen. */
    private static final List<ProblemType> LOCKING_CONFLICTS =
            List.of(ProblemType.LOCK_TIMEOUT, ProblemType.DEADLOCK, ProblemType.SERIALIZATION_FAILURE);
    private static final Map<String, List<ProblemType>> CONFLICTS = Map.of(
            "transferPessimistic", LOCKING_CONFLICTS,
            "transferOptimistic", List.of(ProblemType.RETRIES_EXHAUSTED, ProblemType.LOCK_TIMEOUT),
            "transferBatched", LOCKING_CONFLICTS,
            "transferNaive", LOCKING_CONFLICTS);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Schema problemType = openAPI.getComponents().getSchemas().get("Problem").getProperties().get("type");
        problemType.setEnumeration(Arrays.stream(ProblemType.values()).<Object>map(ProblemType::type).toList());
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (CONFLICTS.containsKey(operation.getOperationId())) {
                describeTransfer(operation);
            }
            APIResponses responses = operation.getResponses();
            addProblems(responses, List.of(ProblemType.INVALID_REQUEST, ProblemType.MALFORMED_JSON),
                    "the request breaks a rule or is not JSON of the expected shape; nothing was changed");
            if (method == PathItem.HttpMethod.POST) {
                addProblems(responses, List.of(ProblemType.PAYLOAD_TOO_LARGE),
                        "the body is over quarkus.http.limits.max-body-size");
                addProblems(responses, List.of(ProblemType.UNSUPPORTED_MEDIA_TYPE), "the body is not application/json");
            }
            addProblems(responses, List.of(ProblemType.DATABASE_UNAVAILABLE, ProblemType.SHUTTING_DOWN),
                    "the database could not serve the request in time, or the instance is stopping; nothing was "
                            + "changed; see Retry-After");
            responses.getAPIResponses().values().forEach(ApiDocument::addProblemExamples);
        }));
    }

    private static void describeTransfer(Operation operation) {
        operation.getParameters().stream()
                .filter(parameter -> TransferResource.IDEMPOTENCY_KEY.equals(parameter.getName()))
                .forEach(key -> key.description("Makes the transfer happen at most once: a repeat of the same request "
                        + "with the same key (within bank.idempotency.retention) answers the original transfer, "
                        + "200 with Idempotent-Replayed: true").example("order-7f3a9c2e"));
        APIResponses responses = operation.getResponses();
        responses.addAPIResponse("201", transferAnswer("The ledger row of the transfer", "Location",
                "The transfer's address, /transfers/{id}"));
        responses.addAPIResponse("200", transferAnswer("Idempotency-Key repeated with the same request: the original "
                + "transfer; no money moved", "Idempotent-Replayed", "true"));
        addProblems(responses, List.of(ProblemType.ACCOUNT_NOT_FOUND), "either account does not exist");
        List<ProblemType> conflicts = new ArrayList<>(CONFLICTS.get(operation.getOperationId()));
        conflicts.add(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS);
        addProblems(responses, conflicts, "the transfer lost a race and changed nothing, or (idempotency-key-in-progress) "
                + "another request under its key is still running: repeat with the same key; see Retry-After");
        addProblems(responses, List.of(ProblemType.INSUFFICIENT_FUNDS, ProblemType.BALANCE_LIMIT_EXCEEDED,
                ProblemType.IDEMPOTENCY_KEY_REUSED), "the balances refuse the transfer, or the key stands for "
                + "another transfer; nothing was changed");
        List<ProblemType> unavailable = new ArrayList<>(List.of(ProblemType.DATABASE_UNAVAILABLE,
                ProblemType.OUTCOME_UNKNOWN, ProblemType.SHUTTING_DOWN));
        if ("transferBatched".equals(operation.getOperationId())) {
            unavailable.add(ProblemType.TRANSFER_QUEUE_FULL);
        }
        addProblems(responses, unavailable, "the transfer did not happen, or (outcome-unknown) its COMMIT could not "
                + "be settled and transferId may exist: repeat with the same Idempotency-Key, or GET "
                + "/transfers/{transferId} later; see Retry-After");
    }

    private static APIResponse transferAnswer(String description, String header, String headerDescription) {
        return OASFactory.createAPIResponse().description(description)
                .addHeader(header, OASFactory.createHeader().description(headerDescription)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .content(OASFactory.createContent().addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("TransferView"))));
    }

    private static void addProblems(APIResponses responses, List<ProblemType> types, String when) {
        String status = String.valueOf(types.get(0).status());
        if (!responses.hasAPIResponse(status)) {
            String description =
                    types.stream().map(ProblemType::type).collect(Collectors.joining(" or ")) + ": " + when;
            Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problem));
        }
    }

    /** One example per problem type the answer's description names. */
    private static void addProblemExamples(APIResponse response) {
        if (response.getContent() == null || response.getDescription() == null) {
            return;
        }
        MediaType problem = response.getContent().getMediaType(Problem.MEDIA_TYPE);
        if (problem == null) {
            return;
        }
        Matcher named = PROBLEM_TYPE.matcher(response.getDescription());
        while (named.find()) {
            String slug = named.group(1);
            Arrays.stream(ProblemType.values()).filter(type -> type.slug().equals(slug)).findFirst()
                    .ifPresent(type -> problem.addExample(slug, OASFactory.createExample().summary(type.title())
                            .value(example(type))));
        }
    }

    /** Maps in a fixed order ({@code Map.of}'s changes from run to run), so that the document is the same each time. */
    private static Map<String, Object> example(ProblemType type) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", type.type());
        example.put("title", type.title());
        example.put("status", type.status());
        switch (type) {
            case INVALID_REQUEST -> {
                example.put("detail", "The request is not valid");
                Map<String, Object> violation = new LinkedHashMap<>();
                violation.put("field", "amount");
                violation.put("message", "must be greater than 0");
                example.put("violations", List.of(violation));
            }
            case OUTCOME_UNKNOWN -> {
                example.put("detail", "The connection broke during COMMIT; the transfer may or may not exist");
                example.put("transferId", 1042);
            }
            case DEADLOCK, LOCK_TIMEOUT, VERSION_CONFLICT, SERIALIZATION_FAILURE, RETRIES_EXHAUSTED -> {
                example.put("detail", "The transfer lost a race and changed nothing; try again");
                example.put("attempts", type == ProblemType.RETRIES_EXHAUSTED ? 10 : 1);
            }
            default -> example.put("detail", type.title() + ".");
        }
        return example;
    }
}
