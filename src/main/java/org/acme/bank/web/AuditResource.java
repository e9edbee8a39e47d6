package org.acme.bank.web;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.core.MediaType;

import org.acme.bank.ledger.Audit;
import org.acme.bank.ledger.AuditService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Tag(name = "Audit", description = "Check that the books balance")
@Authenticated
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditService auditor;
    private final SecurityIdentity identity;

    AuditResource(AuditService auditor, SecurityIdentity identity) {
        this.auditor = auditor;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "audit", summary = "The books in one statement (auditors only): totals, negative "
            + "balances, running balances, holds, accounts whose balance the ledger does not explain",
            description = "Incremental by default: each account's entries since its last verified checkpoint, found by "
                    + "index, so its cost follows what changed since the last audit, not the size of the ledger. "
                    + "full=true re-checks the whole ledger (under bank.audit.full-timeout). Both move the checkpoint "
                    + "of every account they find right.")
    @APIResponse(responseCode = "200", description = "The audit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Audit.class)))
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the caller is not an auditor",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "/problems/audit-unavailable, /problems/database-unavailable or "
            + "/problems/shutting-down: another audit is running on this instance, or this one ran past "
            + "bank.audit.timeout (bank.audit.full-timeout for a full one) and was cancelled; the database could not "
            + "serve it in time; or the instance is stopping; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Audit audit(@Parameter(description = "Re-check every entry of the ledger, not only those since the "
            + "checkpoints", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
            @QueryParam("full") @DefaultValue("false")
            // Read as text: a boolean parameter would take full=1 or full=yes for false, and run the other audit.
            @Pattern(regexp = "(?i)true|false", message = "must be true or false") String full) {
        return auditor.audit(Callers.of(identity), Boolean.parseBoolean(full));
    }
}
