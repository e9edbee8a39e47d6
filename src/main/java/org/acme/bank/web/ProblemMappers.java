package org.acme.bank.web;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.acme.bank.ForbiddenActionException;
import org.acme.bank.SqlStates;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.account.BalanceLimitExceededException;
import org.acme.bank.account.InsufficientFundsException;
import org.acme.bank.hold.HoldAmountExceededException;
import org.acme.bank.ledger.InvalidPeriodException;
import org.acme.bank.hold.HoldNotFoundException;
import org.acme.bank.hold.HoldResolvedException;
import org.acme.bank.ledger.AuditUnavailableException;
import org.acme.bank.ledger.TransactionNotFoundException;
import org.acme.bank.ledger.TransferNotFoundException;
import org.acme.bank.transfer.ConcurrencyConflictException;
import org.acme.bank.transfer.IdempotencyKeyInProgressException;
import org.acme.bank.transfer.IdempotencyKeyReusedException;
import org.acme.bank.transfer.LegRefusedException;
import org.acme.bank.transfer.TransferOutcomeUnknownException;
import org.acme.bank.transfer.TransferQueueFullException;
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

    private final AccessRefusals refusals;

    ProblemMappers(AccessRefusals refusals) {
        this.refusals = refusals;
    }

    /** No token: the client is told which scheme to use (RFC 6750). */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized("The request needs a bearer token (Authorization: Bearer <JWT>)", "Bearer");
    }

    /** A token that is not one of ours, or no longer valid: which check failed stays in no answer. */
    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e) {
        return unauthorized("The bearer token is not valid here: malformed, expired, or not issued for this service",
                "Bearer error=\"invalid_token\"");
    }

    @ServerExceptionMapper
    public Response forbiddenAction(ForbiddenActionException e) {
        return forbidden(e.caller(), e.getMessage());
    }

    /** An endpoint that names no rule of access is closed to everyone (quarkus.security.jaxrs.deny-unannotated-endpoints). */
    @ServerExceptionMapper
    public Response forbiddenEndpoint(ForbiddenException e) {
        return forbidden(null, "This operation is not open to the caller");
    }

    @ServerExceptionMapper
    public Response holdNotFound(HoldNotFoundException e) {
        return answer(Problem.of(ProblemType.HOLD_NOT_FOUND, e.getMessage()));
    }

    /** Resolved already, or expired: the problem names the state it is in. */
    @ServerExceptionMapper
    public Response holdResolved(HoldResolvedException e) {
        return answer(Problem.of(switch (e.status()) {
            case POSTED -> ProblemType.HOLD_POSTED;
            case VOIDED -> ProblemType.HOLD_VOIDED;
            case EXPIRED, PENDING -> ProblemType.HOLD_EXPIRED;
        }, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response holdAmountExceeded(HoldAmountExceededException e) {
        return answer(Problem.of(ProblemType.HOLD_AMOUNT_EXCEEDED, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response insufficientFunds(InsufficientFundsException e) {
        return answer(Problem.of(ProblemType.INSUFFICIENT_FUNDS, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response balanceLimitExceeded(BalanceLimitExceededException e) {
        return answer(Problem.of(ProblemType.BALANCE_LIMIT_EXCEEDED, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return answer(Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response idempotencyKeyInProgress(IdempotencyKeyInProgressException e) {
        return retryAfter(answer(Problem.of(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS, e.getMessage())));
    }

    @ServerExceptionMapper
    public Response invalidField(InvalidFieldException e) {
        return invalidField(e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidPeriod(InvalidPeriodException e) {
        return invalidField(e.field(), e.getMessage());
    }

    private Response invalidField(String field, String message) {
        return answer(Problem.of(ProblemType.INVALID_REQUEST, field + ": " + message)
                .withViolations(List.of(new Problem.Violation(field, message))));
    }

    /** The problem the leg would get alone, naming the leg; no leg was applied. */
    @ServerExceptionMapper
    public Response legRefused(LegRefusedException e) {
        Response alone = transferFailure(e.refusal());
        return Response.fromResponse(alone).entity(((Problem) alone.getEntity()).ofLeg(e.leg(), e.getMessage()))
                .build();
    }

    /**
     * The answer to a failed transfer, whichever way it failed: the same for a request of its own and for an item of a
     * bulk request, whose results carry each item's problem.
     */
    Response transferFailure(RuntimeException failure) {
        if (failure instanceof LegRefusedException e) {
            return legRefused(e);
        }
        if (failure instanceof InsufficientFundsException e) {
            return insufficientFunds(e);
        }
        if (failure instanceof BalanceLimitExceededException e) {
            return balanceLimitExceeded(e);
        }
        if (failure instanceof AccountNotFoundException e) {
            return accountNotFound(e);
        }
        if (failure instanceof IdempotencyKeyReusedException e) {
            return idempotencyKeyReused(e);
        }
        if (failure instanceof IdempotencyKeyInProgressException e) {
            return idempotencyKeyInProgress(e);
        }
        if (failure instanceof UnknownStrategyException e) {
            return unknownStrategy(e);
        }
        if (failure instanceof ConcurrencyConflictException e) {
            return conflict(e);
        }
        if (failure instanceof TransferOutcomeUnknownException e) {
            return outcomeUnknown(e);
        }
        if (failure instanceof TransferQueueFullException e) {
            return transferQueueFull(e);
        }
        if (failure instanceof ForbiddenActionException e) {
            return forbiddenAction(e);
        }
        return unexpected(failure);
    }

    @ServerExceptionMapper
    public Response accountNotFound(AccountNotFoundException e) {
        return answer(Problem.of(ProblemType.ACCOUNT_NOT_FOUND, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response transferNotFound(TransferNotFoundException e) {
        return answer(Problem.of(ProblemType.TRANSFER_NOT_FOUND, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response transactionNotFound(TransactionNotFoundException e) {
        return answer(Problem.of(ProblemType.TRANSACTION_NOT_FOUND, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unknownStrategy(UnknownStrategyException e) {
        return answer(Problem.of(ProblemType.UNKNOWN_STRATEGY, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response conflict(ConcurrencyConflictException e) {
        return retryAfter(answer(Problem.of(ProblemType.of(e.kind()), e.getMessage()).withAttempts(e.attempts())));
    }

    @ServerExceptionMapper
    public Response outcomeUnknown(TransferOutcomeUnknownException e) {
        return retryAfter(answer(Problem.of(ProblemType.OUTCOME_UNKNOWN, e.getMessage() + ". Repeat the request with "
                + "the same Idempotency-Key" + (e.transferId() == null ? "." : ", or read the transfer by id."))
                .withTransferId(e.transferId())));
    }

    @ServerExceptionMapper
    public Response transferQueueFull(TransferQueueFullException e) {
        return retryAfter(answer(Problem.of(ProblemType.TRANSFER_QUEUE_FULL, e.getMessage())));
    }

    @ServerExceptionMapper
    public Response auditUnavailable(AuditUnavailableException e) {
        return retryAfter(answer(Problem.of(ProblemType.AUDIT_UNAVAILABLE, e.getMessage())));
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
        return answer(Problem.of(ProblemType.INVALID_REQUEST, detail).withViolations(violations));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return malformed(describe(e));
    }

    Response malformed(String detail) {
        return answer(Problem.of(ProblemType.MALFORMED_JSON, detail));
    }

    /** More specific than the mapper Quarkus registers for this type, so this one is chosen. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e) {
        String message = e.getKnownPropertyIds().isEmpty() ? "is not a property of this request, which takes none"
                : "is not a property of this request, which takes " + e.getKnownPropertyIds().stream()
                        .map(known -> "'" + known + "'").sorted().collect(Collectors.joining(", "));
        String field = jsonPath(e);
        return answer(Problem.of(ProblemType.INVALID_REQUEST, field + ": " + message)
                .withViolations(List.of(new Problem.Violation(field, message))));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return unknownProperty(unknown);
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        if (status.getStatusCode() == 404 && e.getCause() != null) {
            // A path or query parameter that could not be converted, such as /accounts/abc or ?page=x.
            return answer(Problem.of(ProblemType.INVALID_REQUEST, "A path or query parameter has the wrong format"));
        }
        ProblemType type = ProblemType.ofHttpStatus(status.getStatusCode());
        Response.ResponseBuilder answer = Response.fromResponse(answer(Problem.of(type, httpDetail(type))));
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
            return retryAfter(answer(Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                    "The database could not serve the request in time; nothing was changed. Try again after Retry-After")));
        }
        LOG.error("Unexpected failure", e);
        return answer(Problem.of(ProblemType.INTERNAL_ERROR, "The request failed on the server; see its log"));
    }

    private Response unauthorized(String detail, String challenge) {
        refusals.refused(ProblemType.UNAUTHORIZED, null, detail);
        return Response.fromResponse(answer(Problem.of(ProblemType.UNAUTHORIZED, detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private Response forbidden(String caller, String detail) {
        refusals.refused(ProblemType.FORBIDDEN, caller, detail);
        return answer(Problem.of(ProblemType.FORBIDDEN, detail));
    }

    private static Response retryAfter(Response answer) {
        return Response.fromResponse(answer).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static String httpDetail(ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "There is nothing at this path";
            case METHOD_NOT_ALLOWED -> "This path does not accept this method";
            case NOT_ACCEPTABLE -> "This path answers application/json only";
            case UNSUPPORTED_MEDIA_TYPE -> "The body must be application/json";
            default -> "The request could not be served";
        };
    }

    /** Where in the body, as the client wrote it: {@code amount}, {@code legs[1].x}. */
    private static String jsonPath(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** Says where the body went wrong in JSON terms; Jackson's own messages name Java types. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "The value of '" + jsonPath(mapping) + "' has the wrong type or format";
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

    /**
     * The field as the client wrote it: the properties after the body parameter, such as {@code amount} or
     * {@code legs[1].amount}; or the parameter's name (a header, a path or query parameter).
     */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        boolean parameterOnly = false;
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD) {
                continue;
            }
            if (kind == ElementKind.PARAMETER) {
                field.setLength(0);
                field.append(node.getName());
                parameterOnly = true;
                continue;
            }
            if (parameterOnly) {
                field.setLength(0);
                parameterOnly = false;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (kind == ElementKind.PROPERTY && node.getName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(node.getName());
            }
        }
        return field.toString();
    }

    private static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
