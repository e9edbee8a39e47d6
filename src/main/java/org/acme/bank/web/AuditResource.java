package org.acme.bank.web;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
@Authenticated
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final LedgerService ledger;
    private final SecurityIdentity identity;

    AuditResource(LedgerService ledger, SecurityIdentity identity) {
        this.ledger = ledger;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "audit", summary = "The books in one SQL pass: totals, negative balances, accounts whose balance the ledger does not explain (auditors only)")
    @APIResponse(responseCode = "200", description = "The audit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Audit.class)))
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the caller is not an auditor",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Audit audit() {
        return ledger.audit(Callers.of(identity));
    }
}
