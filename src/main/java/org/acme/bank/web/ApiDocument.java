package org.acme.bank.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.spi.CDI;

import org.acme.bank.Money;
import org.acme.bank.transfer.TransferService;
import org.acme.bank.transfer.TransferStrategy;
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
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Writes what the annotations would repeat into the OpenAPI document:
 * <ul>
 * <li>the problem catalogue ({@link ProblemType}): the {@code type} values of the Problem schema;</li>
 * <li>money in request bodies: a number or a decimal string, with its bounds;</li>
 * <li>the schema of a bulk request's items, which are read one by one;</li>
 * <li>the answers of the transfer operations, one per enabled strategy, the same for each but for what its strategy
 * declares: the races it can lose, a queue that can fill;</li>
 * <li>the bearer scheme, which every operation requires, and its 401;</li>
 * <li>the problems every operation can answer: 400, 413 and 415 for bodies, 503 when no connection came in time;</li>
 * <li>an example of every problem each answer names.</li>
 * </ul>
 */
public class ApiDocument implements OASFilter {

    private static final Pattern PROBLEM_TYPE = Pattern.compile("/problems/([a-z-]+)");

    private static final String TRANSFERS = "/transfers/";
    private static final String TRANSACTIONS = "/transactions/";
    private static final String HOLDS = "/holds/";
    private static final String BEARER = "bearer";
    /** A decimal string below 10^15 with at most two decimals. */
    private static final String DECIMAL = "(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?$";
    /** The same, zero excluded. */
    private static final String NOT_ZERO = "(?!0+(\\.0+)?$)";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, TransferStrategy> strategies = CDI.current().select(TransferService.class).get().enabledStrategies();
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Schema problemType = schemas.get("Problem").getProperties().get("type");
        problemType.setEnumeration(Arrays.stream(ProblemType.values()).<Object>map(ProblemType::type).toList());
        // The items are read one by one (BulkRequest), so the scanner sees no type of theirs to name: named here.
        Schema bulkItems = schemas.get("BulkRequest").getProperties().get("transfers");
        openAPI.getComponents().addSchema("BulkItem", bulkItems.getItems());
        bulkItems.setItems(OASFactory.createSchema().ref("BulkItem"));
        // One named schema for every amount a request carries, so that a generated client has one type for them.
        Schema amount = OASFactory.createSchema();
        describeMoney(amount, true, "25.00");
        openAPI.getComponents().addSchema("Amount", amount);
        for (String request : List.of("TransferRequest", "BulkItem", "HoldRequest", "PostHoldRequest")) {
            Schema body = openAPI.getComponents().getSchemas().get(request);
            body.addProperty("amount", OASFactory.createSchema().ref("Amount")
                    .description(body.getProperties().get("amount").getDescription()));
        }
        describeMoney(schemas.get("OpenAccountRequest").getProperties().get("balance"), false, "1000.00");
        // Read from either JSON type (ExpiresIn), which the scanner would describe as an object.
        openAPI.getComponents().removeSchema("ExpiresIn");
        openAPI.getComponents().removeSchema("Duration");
        schemas.get("HoldRequest").addProperty("expiresIn", OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.INTEGER, Schema.SchemaType.STRING)).minimum(BigDecimal.ONE)
                .pattern("^P").examples(List.of(60, "PT60S"))
                .description("Whole seconds, as a JSON integer or an ISO-8601 duration such as \"PT60S\" (not "
                        + "\"PT1.5S\"): from 1 second to bank.hold.max-expiry"));
        openAPI.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A JWT from the deployment's OpenID Connect provider (or signed with its fixed key): "
                        + "sub names the caller; the roles teller and auditor come from groups or realm_access.roles"));
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (method == PathItem.HttpMethod.POST) {
                // By the end of the path, whatever root path the service is deployed under.
                strategies.values().stream().filter(strategy -> path.endsWith(TRANSFERS + strategy.name())).findFirst()
                        .ifPresent(strategy -> describeTransfer(operation, strategy, false));
                strategies.values().stream().filter(strategy -> path.endsWith(TRANSACTIONS + strategy.name()))
                        .findFirst().ifPresent(strategy -> describeTransfer(operation, strategy, true));
                if (path.contains(HOLDS)) {
                    describeHoldChange(operation, strategies.values().stream()
                            .filter(strategy -> path.endsWith(HOLDS + strategy.name())).findFirst().orElse(null));
                }
            }
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
            APIResponses responses = operation.getResponses();
            addProblems(responses, List.of(ProblemType.UNAUTHORIZED), "no bearer token, or one that is not valid "
                    + "here (see WWW-Authenticate); nothing was changed");
            addProblems(responses, List.of(ProblemType.INVALID_REQUEST, ProblemType.MALFORMED_JSON),
                    "the request breaks a rule or is not JSON of the expected shape; nothing was changed");
            if (method == PathItem.HttpMethod.POST) {
                addProblems(responses, List.of(ProblemType.PAYLOAD_TOO_LARGE),
                        "the body is over quarkus.http.limits.max-body-size (bank.bulk.max-body-size for a bulk)");
                addProblems(responses, List.of(ProblemType.UNSUPPORTED_MEDIA_TYPE), "the body is not application/json");
            }
            addProblems(responses, List.of(ProblemType.DATABASE_UNAVAILABLE, ProblemType.SHUTTING_DOWN),
                    "the database could not serve the request in time, or the instance is stopping; nothing was "
                            + "changed; see Retry-After");
            responses.getAPIResponses().values().forEach(ApiDocument::addProblemExamples);
        }));
    }

    /**
     * Money as a client may send it (config/JsonConfiguration): a JSON number or a decimal string, with
     * {@link MoneyAmount}'s bounds. A number's decimals are left to the description: {@code multipleOf: 0.01} fails
     * 0.29 in a validator that computes in binary floating point.
     */
    private static void describeMoney(Schema money, boolean positive, String example) {
        money.setType(List.of(Schema.SchemaType.NUMBER, Schema.SchemaType.STRING));
        money.setMultipleOf(null);
        money.setMinimum(positive ? null : BigDecimal.ZERO);
        money.setExclusiveMinimum(positive ? BigDecimal.ZERO : null);
        money.setExclusiveMaximum(Money.LIMIT);
        money.setPattern("^" + (positive ? NOT_ZERO : "") + DECIMAL);
        money.setExamples(List.of(example));
        money.setDescription("A JSON number, or a decimal string such as \"" + example + "\" (safer where numbers are "
                + "binary floating point): " + (positive ? "above 0" : "at least 0")
                + ", below 10^15, at most two decimals");
    }

    /** A transfer's operation, or (transaction) a multi-leg transaction's, whose refused leg is named in the problem. */
    private static void describeTransfer(Operation operation, TransferStrategy strategy, boolean transaction) {
        String what = transaction ? "transaction" : "transfer";
        operation.getParameters().stream()
                .filter(parameter -> TransferResource.IDEMPOTENCY_KEY.equals(parameter.getName()))
                .forEach(key -> key.description("Makes the " + what + " happen at most once: a repeat of the same "
                        + "request with the same key (within bank.idempotency.retention) answers the original " + what
                        + ", 200 with Idempotent-Replayed: true").example("order-7f3a9c2e"));
        APIResponses responses = operation.getResponses();
        String view = transaction ? "TransactionView" : "TransferView";
        responses.addAPIResponse("201", viewAnswer(transaction ? "Every leg applied, each a ledger row naming the "
                + "transaction" : "The ledger row of the transfer", "Location", "The " + what + "'s address, /" + what
                + "s/{id}", view));
        responses.addAPIResponse("200", viewAnswer("Idempotency-Key repeated with the same request: the original "
                + what + "; no money moved", "Idempotent-Replayed", "true", view));
        String leg = transaction ? " (leg names the refused leg, and no leg applied)" : "";
        addProblems(responses, List.of(ProblemType.ACCOUNT_NOT_FOUND), "either account does not exist, or the caller "
                + "does not own the account the money would leave" + leg);
        List<ProblemType> conflicts = new ArrayList<>(strategy.conflicts().stream().map(ProblemType::of).toList());
        conflicts.add(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS);
        addProblems(responses, conflicts, "the transfer lost a race and changed nothing, or (idempotency-key-in-progress) "
                + "another request under its key is still running: repeat with the same key; see Retry-After");
        addProblems(responses, List.of(ProblemType.INSUFFICIENT_FUNDS, ProblemType.BALANCE_LIMIT_EXCEEDED,
                ProblemType.IDEMPOTENCY_KEY_REUSED), "the balances refuse the " + what + leg + ", or the key stands "
                + "for another request; nothing was changed");
        List<ProblemType> unavailable = new ArrayList<>(List.of(ProblemType.DATABASE_UNAVAILABLE,
                ProblemType.OUTCOME_UNKNOWN, ProblemType.SHUTTING_DOWN));
        if (strategy.queues()) {
            unavailable.add(ProblemType.TRANSFER_QUEUE_FULL);
        }
        addProblems(responses, unavailable, "the transfer did not happen, or (outcome-unknown) its COMMIT could not "
                + "be settled and transferId may exist: repeat with the same Idempotency-Key, or GET "
                + "/transfers/{transferId} later; see Retry-After");
    }

    /**
     * A hold's placing ({@code placedBy} names the strategy of its path), posting or void (null): each commits as a
     * transfer does, so its COMMIT may end unsettled; a placing answers as every strategy's does, but for the races its
     * strategy can lose and a queue that can fill; a posting as a void does about the hold.
     */
    private static void describeHoldChange(Operation operation, TransferStrategy placedBy) {
        APIResponses responses = operation.getResponses();
        List<ProblemType> unavailable = new ArrayList<>(List.of(ProblemType.DATABASE_UNAVAILABLE,
                ProblemType.OUTCOME_UNKNOWN, ProblemType.SHUTTING_DOWN));
        if (placedBy != null) {
            responses.addAPIResponse("201", viewAnswer("The hold, pending", "Location", "The hold's address, "
                    + "/holds/{id}", "HoldView"));
            responses.addAPIResponse("200", viewAnswer("Idempotency-Key repeated with the same request: the hold it "
                    + "placed, as it is now", "Idempotent-Replayed", "true", "HoldView"));
            addProblems(responses, List.of(ProblemType.ACCOUNT_NOT_FOUND), "either account does not exist, or the "
                    + "caller does not own the sender");
            addProblems(responses, List.of(ProblemType.INSUFFICIENT_FUNDS, ProblemType.IDEMPOTENCY_KEY_REUSED),
                    "less is available than the amount, or the key stands for another request; nothing changed");
            List<ProblemType> conflicts = new ArrayList<>(placedBy.conflicts().stream().map(ProblemType::of).toList());
            conflicts.add(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS);
            addProblems(responses, conflicts, "the placement lost a race, or an account or the key stayed locked too "
                    + "long, and nothing changed; repeat it with the same key; see Retry-After");
            if (placedBy.queues()) {
                unavailable.add(ProblemType.TRANSFER_QUEUE_FULL);
            }
        } else {
            addProblems(responses, List.of(ProblemType.HOLD_NOT_FOUND), "there is no such hold, or the caller is not "
                    + "a party to it");
            addProblems(responses, List.of(ProblemType.HOLD_POSTED, ProblemType.HOLD_VOIDED, ProblemType.HOLD_EXPIRED,
                    ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS), "the hold was resolved already, or expired; or "
                    + "(idempotency-key-in-progress) another request under the key is still running");
        }
        addProblems(responses, unavailable, "nothing was changed, or (outcome-unknown) the COMMIT could not be "
                + "settled: repeat with the same Idempotency-Key, or read the hold (named in the detail; a posting's "
                + "transferId) later; see Retry-After");
    }

    private static APIResponse viewAnswer(String description, String header, String headerDescription,
            String view) {
        return OASFactory.createAPIResponse().description(description)
                .addHeader(header, OASFactory.createHeader().description(headerDescription)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .content(OASFactory.createContent().addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(view))));
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
