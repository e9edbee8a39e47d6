package org.acme.bank.web;

import java.util.Locale;

import org.acme.bank.transfer.ConflictKind;

/**
 * Every kind of problem the service answers, with its status and title: the one catalogue that the mappers, the
 * OpenAPI document ({@link ApiDocument}) and the problem table of docs/api.md ({@code ProblemCatalogueTest}) read.
 * A client branches on {@link #type()}, which never changes for a given kind.
 */
public enum ProblemType {
    INVALID_REQUEST(400, "Invalid request"),
    MALFORMED_JSON(400, "Malformed request body"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    ACCOUNT_NOT_FOUND(404, "Account not found"),
    TRANSFER_NOT_FOUND(404, "Transfer not found"),
    TRANSACTION_NOT_FOUND(404, "Transaction not found"),
    HOLD_NOT_FOUND(404, "Hold not found"),
    UNKNOWN_STRATEGY(404, "Unknown strategy"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    DEADLOCK(409, "Deadlock"),
    LOCK_TIMEOUT(409, "Lock timeout"),
    VERSION_CONFLICT(409, "Version conflict"),
    SERIALIZATION_FAILURE(409, "Serialization failure"),
    RETRIES_EXHAUSTED(409, "Retries exhausted"),
    IDEMPOTENCY_KEY_IN_PROGRESS(409, "Idempotency key in progress"),
    HOLD_POSTED(409, "Hold already posted"),
    HOLD_VOIDED(409, "Hold already voided"),
    HOLD_EXPIRED(409, "Hold expired"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INSUFFICIENT_FUNDS(422, "Insufficient funds"),
    BALANCE_LIMIT_EXCEEDED(422, "Balance limit exceeded"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
    HOLD_AMOUNT_EXCEEDED(422, "Hold amount exceeded"),
    INTERNAL_ERROR(500, "Internal error"),
    DATABASE_UNAVAILABLE(503, "Database unavailable"),
    OUTCOME_UNKNOWN(503, "Transfer outcome unknown"),
    TRANSFER_QUEUE_FULL(503, "Transfer queue full"),
    AUDIT_UNAVAILABLE(503, "Audit unavailable"),
    SHUTTING_DOWN(503, "Shutting down");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The last part of {@link #type()}, such as {@code insufficient-funds}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A relative URI naming the kind of problem, such as {@code /problems/insufficient-funds}. */
    public String type() {
        return "/problems/" + slug();
    }

    /** Each way of losing a race has a problem of its own, all answered 409. */
    static ProblemType of(ConflictKind kind) {
        return switch (kind) {
            case DEADLOCK -> DEADLOCK;
            case LOCK_TIMEOUT -> LOCK_TIMEOUT;
            case VERSION_CONFLICT -> VERSION_CONFLICT;
            case SERIALIZATION_FAILURE -> SERIALIZATION_FAILURE;
            case RETRIES_EXHAUSTED -> RETRIES_EXHAUSTED;
        };
    }

    /** The problem for an HTTP-level refusal by the framework (unknown path, wrong method or media type). */
    static ProblemType ofHttpStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> status < 500 ? INVALID_REQUEST : INTERNAL_ERROR;
        };
    }
}
