package org.acme.bank.web;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.bank.ledger.LedgerService;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.TransferService;

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
    public Response transfer(@PathParam("strategy") String strategy, @Valid @NotNull TransferRequest body) {
        Transfer transfer = transfers.transfer(strategy, body.toCommand());
        return Response.created(URI.create("/transfers/" + transfer.id)).entity(TransferView.of(transfer)).build();
    }

    @GET
    @Path("/{id}")
    public TransferView get(@PathParam("id") @Positive long id) {
        return TransferView.of(ledger.get(id));
    }
}
