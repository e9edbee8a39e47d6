package org.acme.bank.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What one item of a bulk request would have got as a request of its own: its status, and the transfer or the problem. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BulkResult(
        @Schema(description = "201 applied, 200 a replay of its idempotencyKey, 4xx or 5xx refused (the problem says "
                + "why)", example = "201") int status,
        @Schema(description = "The transfer, when the status is 201 or 200") TransferView transfer,
        @Schema(description = "Why the item was refused, when the status is 4xx or 5xx") Problem problem) {

    static BulkResult of(Problem problem) {
        return new BulkResult(problem.status(), null, problem);
    }
}
