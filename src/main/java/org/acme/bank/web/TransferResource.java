package org.acme.bank.web;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.bank.ledger.LedgerService;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.TransferResult;
import org.acme.bank.transfer.TransferService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/transfers")
@Produces(MediaType.APPLICATION_JSON)
public class TransferResource {

    private final TransferService transfers;
    private final LedgerService ledger;

    TransferResource(TransferService transfers, LedgerService ledger) {
        this.transfers = transfers;
        this.ledger = ledger;
    }

    @POST
    @Path("/{strategy}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Idempotency-Key repeated with the same request: the original transfer, "
            + "header Idempotent-Replayed: true; no money moved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @Operation(summary = "Move money with a strategy: pessimistic, optimistic, or naive (the deadlock demonstration, off in production)")
    @APIResponse(responseCode = "201", description = "The ledger row of the transfer; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "404", description = "/problems/account-not-found (either side) or /problems/unknown-strategy (unknown or disabled)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "/problems/deadlock, /problems/lock-timeout or /problems/retries-exhausted: the transfer lost a race and changed nothing; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "/problems/insufficient-funds, /problems/balance-limit-exceeded, or /problems/idempotency-key-reused (the key stands for a different transfer)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "/problems/database-unavailable: the database could not be reached "
            + "and the transfer did not happen; or /problems/outcome-unknown: the connection broke during COMMIT and "
            + "the ledger could not be asked, so transferId may or may not exist: repeat with the same Idempotency-Key, "
            + "or GET /transfers/{transferId} later. See Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> transfer(@PathParam("strategy") String strategy,
            @HeaderParam("Idempotency-Key") @Size(min = 1, max = 255) @Pattern(regexp = "[\\x21-\\x7E]+",
                    message = "must be 1 to 255 visible ASCII characters") String idempotencyKey,
            @Valid @NotNull TransferRequest body) {
        // Non-blocking: the service runs a transaction on a worker thread, or queues it (batched) without holding one.
        return Uni.createFrom().completionStage(() -> transfers.transfer(strategy, body.toCommand(idempotencyKey)))
                .map(TransferResource::answer);
    }

    private static Response answer(TransferResult result) {
        Transfer transfer = result.transfer();
        if (result.replayed()) {
            return Response.ok(TransferView.of(transfer)).header("Idempotent-Replayed", "true").build();
        }
        // A relative Location (RFC 9110) as a plain header: resolving it against the request costs more CPU than the
        // rest of the answer's headers together.
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, "/transfers/" + transfer.id)
                .entity(TransferView.of(transfer)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One transfer of the ledger")
    @APIResponse(responseCode = "200", description = "The transfer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "404", description = "/problems/transfer-not-found",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TransferView get(@PathParam("id") @Positive long id) {
        return TransferView.of(ledger.get(id));
    }
}
