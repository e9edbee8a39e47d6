package org.acme.bank.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.bank.config.BankConfig;
import org.acme.bank.transfer.TransferService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The deadlock demonstration for transactions, a resource of its own so that where it is off (production) it is absent from the
 * OpenAPI document too; a request to it then gets 404 unknown-strategy like any unknown name.
 */
@Tag(name = "Transactions", description = "Apply several transfers at once, all or none")
@Authenticated
@Path("/transactions/naive")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = "bank.transfer.naive.enabled", stringValue = "false", disableIfMissing = true)
public class NaiveTransactionResource {

    private final TransferService transfers;
    private final SecurityIdentity identity;
    private final int maxLegs;

    NaiveTransactionResource(TransferService transfers, SecurityIdentity identity, BankConfig config) {
        this.transfers = transfers;
        this.identity = identity;
        this.maxLegs = config.transaction().maxLegs();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transactNaive", summary = "Apply the legs the way that deadlocks (demonstration only)",
            description = "Never in production: locks each leg's sender, then its receiver, leg after leg, so two "
                    + "crossing transactions can wait on each other in a cycle and PostgreSQL aborts one (409 "
                    + "deadlock). Not retried. Present only where bank.transfer.naive.enabled=true.")
    public Uni<Response> naive(@HeaderParam(TransferResource.IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransactionRequest body) {
        return TransactionResource.transact(transfers, identity, "naive", idempotencyKey, body, maxLegs);
    }
}
