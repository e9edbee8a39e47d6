package org.acme.bank.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.acme.bank.ledger.Audit;
import org.acme.bank.ledger.LedgerService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Tag(name = "Audit", description = "Check that the books balance")
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final LedgerService ledger;

    AuditResource(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GET
    @Operation(operationId = "audit", summary = "The books in one SQL pass: totals, negative balances, accounts whose balance the ledger does not explain")
    @APIResponse(responseCode = "200", description = "The audit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Audit.class)))
    public Audit audit() {
        return ledger.audit();
    }
}
