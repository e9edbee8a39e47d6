package org.acme.bank.web;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.acme.bank.SqlStates;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.account.BalanceLimitExceededException;
import org.acme.bank.account.InsufficientFundsException;
import org.acme.bank.ledger.TransferNotFoundException;
import org.acme.bank.transfer.ConcurrencyConflictException;
import org.acme.bank.transfer.IdempotencyKeyReusedException;
import org.acme.bank.transfer.TransferOutcomeUnknownException;
import org.acme.bank.transfer.UnknownStrategyException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP answers: every error leaves as application/problem+json, without stack
 * traces or Java class names.
 */
public class ProblemMappers {

    /** Seconds a client should wait before repeating a request that lost a race or found no free connection. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response insufficientFunds(InsufficientFundsException e) {
        return problem(422, "insufficient-funds", "Insufficient funds", e.getMessage());
    }

    @ServerExceptionMapper
    public Response balanceLimitExceeded(BalanceLimitExceededException e) {
        return problem(422, "balance-limit-exceeded", "Balance limit exceeded", e.getMessage());
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return problem(422, "idempotency-key-reused", "Idempotency key reused", e.getMessage());
    }

    @ServerExceptionMapper
    public Response accountNotFound(AccountNotFoundException e) {
        return problem(404, "account-not-found", "Account not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response transferNotFound(TransferNotFoundException e) {
        return problem(404, "transfer-not-found", "Transfer not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownStrategy(UnknownStrategyException e) {
        return problem(404, "unknown-strategy", "Unknown strategy", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(ConcurrencyConflictException e) {
        String slug = e.kind().name().toLowerCase().replace('_', '-');
        return retryAfter(problem(409, slug, "Concurrent transfer conflict", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response outcomeUnknown(TransferOutcomeUnknownException e) {
        return retryAfter(answer(new Problem(type("outcome-unknown"), "Transfer outcome unknown", 503,
                e.getMessage() + ". Repeat the request with the same Idempotency-Key, or read the transfer by id.",
                null, e.transferId())));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(violation -> new Problem.Violation(field(violation.getPropertyPath()), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        String detail = violations.stream()
                .map(violation -> violation.field() + ": " + violation.message())
                .collect(Collectors.joining("; "));
        return answer(new Problem(type("invalid-request"), "Invalid request", 400, detail, violations, null));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return problem(400, "malformed-json", "Malformed request body", describe(e));
    }

    /** More specific than the mapper Quarkus registers for this type, so this one is chosen. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        if (status.getStatusCode() == 404 && e.getCause() != null) {
            // A path or query parameter that could not be converted, such as /accounts/abc or ?page=x.
            return problem(400, "invalid-request", "Invalid request", "A path or query parameter has the wrong format");
        }
        String slug = status.getReasonPhrase().toLowerCase().replace(' ', '-');
        Response.ResponseBuilder answer = Response.fromResponse(
                problem(status.getStatusCode(), slug, status.getReasonPhrase(), httpDetail(status.getStatusCode())));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> answer.header(name, value));
            }
        });
        return answer.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (SqlStates.isDatabaseUnavailable(e)) {
            return retryAfter(problem(503, "database-unavailable", "Database unavailable",
                    "The database could not be reached in time; try again after Retry-After"));
        }
        LOG.error("Unexpected failure", e);
        return problem(500, "internal-error", "Internal error", "The request failed on the server; nothing was changed");
    }

    private static Response retryAfter(Response answer) {
        return Response.fromResponse(answer).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static String httpDetail(int status) {
        return switch (status) {
            case 404 -> "There is nothing at this path";
            case 405 -> "This path does not accept this method";
            case 406 -> "This path answers application/json only";
            case 415 -> "The body must be application/json";
            default -> "The request could not be served";
        };
    }

    /** Says where the body went wrong in JSON terms; Jackson's own messages name Java types. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                            : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "The value of '" + field + "' has the wrong type or format";
        }
        if (e instanceof MismatchedInputException) {
            return "The body must be a JSON object with the expected fields";
        }
        if (e.getLocation() != null) {
            return "The body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        return "The body is not valid JSON";
    }

    /** The last node of a property path such as {@code transfer.request.amount}, or the parameter name. */
    private static String field(Path path) {
        String field = "";
        for (Path.Node node : path) {
            if (node.getName() != null && node.getKind() != ElementKind.METHOD) {
                field = node.getName();
            }
        }
        return field;
    }

    static Response problem(int status, String slug, String title, String detail) {
        return answer(new Problem(type(slug), title, status, detail, null, null));
    }

    private static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    static String type(String slug) {
        return "/problems/" + slug;
    }
}
