package org.acme.bank.web;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /transfers/bulk}. The items stay JSON until each is read on its own, so that one that is
 * malformed is answered in its slot while the others apply.
 */
public record BulkRequest(
        @Schema(implementation = BulkItem[].class, description = "1 to bank.bulk.max-items (1000 by default) "
                + "independent transfers")
        @NotNull List<JsonNode> transfers) {
}
