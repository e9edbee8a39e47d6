package org.acme.bank.web;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
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

import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.LedgerService;
import org.acme.bank.transfer.TransactionCommand;
import org.acme.bank.transfer.TransferResult;
import org.acme.bank.transfer.TransferService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Multi-leg transactions, one operation per strategy as for transfers: every leg applies in one database
 * transaction, or none does. Their answers are written into the OpenAPI document once ({@link ApiDocument}).
 */
@Tag(name = "Transactions", description = "Apply several transfers at once, all or none")
@Authenticated
@Path("/transactions")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionResource {

    private final TransferService transfers;
    private final LedgerService ledger;
    private final SecurityIdentity identity;
    private final int maxLegs;

    TransactionResource(TransferService transfers, LedgerService ledger, SecurityIdentity identity,
            BankConfig config) {
        this.transfers = transfers;
        this.ledger = ledger;
        this.identity = identity;
        this.maxLegs = config.transaction().maxLegs();
    }

    @POST
    @Path("pessimistic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transactPessimistic", summary = "Apply the legs, locking every account once in id order",
            description = "Every account of every leg is locked with one query, lowest id first, so crossing "
                    + "transactions and transfers wait instead of deadlocking.")
    public Uni<Response> pessimistic(
            @HeaderParam(TransferResource.IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransactionRequest body) {
        return transact(transfers, identity, "pessimistic", idempotencyKey, body, maxLegs);
    }

    @POST
    @Path("optimistic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transactOptimistic", summary = "Apply the legs without holding locks, retrying lost races",
            description = "Every account is read without a lock and version-checked at the end; a lost race runs the "
                    + "whole transaction again in a fresh one, with backoff.")
    public Uni<Response> optimistic(
            @HeaderParam(TransferResource.IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransactionRequest body) {
        return transact(transfers, identity, "optimistic", idempotencyKey, body, maxLegs);
    }

    @POST
    @Path("batched")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transactBatched", summary = "Apply the legs as one member of a group commit",
            description = "The whole transaction is one member of a batch: its legs apply together or not at all, "
                    + "and its refusal concerns it alone.")
    public Uni<Response> batched(
            @HeaderParam(TransferResource.IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransactionRequest body) {
        return transact(transfers, identity, "batched", idempotencyKey, body, maxLegs);
    }

    /** Any other strategy name, answered 404 unknown-strategy; left out of the document as for transfers. */
    @POST
    @Path("{strategy}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> unknown(@PathParam("strategy") String strategy,
            @HeaderParam(TransferResource.IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransactionRequest body) {
        return transact(transfers, identity, strategy, idempotencyKey, body, maxLegs);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTransaction", summary = "One transaction with its legs: one the caller made, or any "
            + "for a teller or auditor")
    @APIResponse(responseCode = "200", description = "The transaction",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TransactionView.class)))
    @APIResponse(responseCode = "404", description = "/problems/transaction-not-found: there is no such transaction, "
            + "or the caller did not make it (a receiver sees their own legs as transfers)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TransactionView get(@PathParam("id") @Positive long id) {
        return TransactionView.of(ledger.transaction(Callers.of(identity), id));
    }

    static Uni<Response> transact(TransferService transfers, SecurityIdentity identity, String strategy,
            String idempotencyKey, TransactionRequest body, int maxLegs) {
        TransactionCommand command = body.toCommand(Callers.of(identity), idempotencyKey, maxLegs);
        return Uni.createFrom().completionStage(() -> transfers.transfer(strategy, command))
                .map(TransactionResource::answer);
    }

    private static Response answer(TransferResult result) {
        TransactionView transaction = TransactionView.of(result.transfers());
        if (result.replayed()) {
            return Response.ok(transaction).header("Idempotent-Replayed", "true").build();
        }
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/transactions/" + transaction.id()).entity(transaction).build();
    }
}
