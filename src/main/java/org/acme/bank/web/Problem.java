package org.acme.bank.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. {@code type} is a relative URI naming the kind of problem, stable for clients to branch
 * on; {@code violations} lists the offending fields of an invalid request.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(description = "The kind of problem, stable for clients to branch on: /problems/invalid-request, "
                + "/problems/malformed-json, /problems/account-not-found, /problems/transfer-not-found, "
                + "/problems/unknown-strategy, /problems/not-found, /problems/method-not-allowed, "
                + "/problems/unsupported-media-type, /problems/deadlock, /problems/lock-timeout, "
                + "/problems/retries-exhausted, /problems/insufficient-funds, /problems/balance-limit-exceeded, "
                + "/problems/idempotency-key-reused, "
                + "/problems/payload-too-large, /problems/database-unavailable, /problems/outcome-unknown, "
                + "/problems/internal-error")
        String type,
        String title,
        int status,
        String detail,
        @Schema(description = "The offending fields of an invalid request") List<Violation> violations,
        @Schema(description = "The transfer whose outcome is unknown: GET /transfers/{transferId} tells later")
        Long transferId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}
