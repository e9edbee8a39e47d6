package org.acme.bank.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to {@code POST /transfers/bulk}: one result per item, in the order of the items. */
@RegisterForReflection
public record BulkResponse(List<Result> results) {

    /** What the item would have got as a request of its own: its status, and the transfer or the problem. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            @Schema(description = "201 applied, 200 a replay of its idempotency key, 4xx or 5xx refused",
                    example = "201") int status,
            TransferView transfer,
            Problem problem) {

        static Result of(Problem problem) {
            return new Result(problem.status(), null, problem);
        }
    }
}
