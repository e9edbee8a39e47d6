package org.acme.bank.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. {@code type} is a relative URI naming the kind of problem ({@link ProblemType}), stable
 * for clients to branch on; the members after {@code detail} appear only on the problems they belong to.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(description = "The kind of problem, stable for clients to branch on") String type,
        String title,
        int status,
        String detail,
        @Schema(description = "The offending fields of an invalid request") List<Violation> violations,
        @Schema(description = "The transfer whose outcome is unknown: GET /transfers/{transferId} tells later")
        Long transferId,
        @Schema(description = "How many attempts the transfer made before it gave up (409 problems)")
        Integer attempts,
        @Schema(description = "The refused leg of a transaction, from 0: the problem is the one it would get alone, "
                + "and no leg was applied")
        Integer leg) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(ProblemType type, String detail) {
        return new Problem(type.type(), type.title(), type.status(), detail, null, null, null, null);
    }

    Problem withViolations(List<Violation> offending) {
        return new Problem(type, title, status, detail, offending, transferId, attempts, leg);
    }

    Problem withTransferId(Long id) {
        return new Problem(type, title, status, detail, violations, id, attempts, leg);
    }

    Problem withAttempts(int made) {
        return new Problem(type, title, status, detail, violations, transferId, made, leg);
    }

    Problem ofLeg(int refused, String legDetail) {
        return new Problem(type, title, status, legDetail, violations, transferId, attempts, refused);
    }

    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}
