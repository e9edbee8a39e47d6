package org.acme.bank.web;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.bank.account.Account;
import org.acme.bank.account.AccountService;
import org.acme.bank.ledger.LedgerService;

@Path("/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final LedgerService ledger;

    AccountResource(AccountService accounts, LedgerService ledger) {
        this.accounts = accounts;
        this.ledger = ledger;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response open(@Valid @NotNull OpenAccountRequest body) {
        Account account = accounts.open(body.owner(), body.openingBalance());
        return Response.created(URI.create("/accounts/" + account.id)).entity(AccountView.of(account)).build();
    }

    @GET
    @Path("/{id}")
    public AccountView get(@PathParam("id") @Positive long id) {
        return AccountView.of(accounts.get(id));
    }

    @GET
    public List<AccountView> list(
            @QueryParam("page") @DefaultValue("0") @PositiveOrZero int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        return accounts.list(page, size).stream().map(AccountView::of).toList();
    }

    @GET
    @Path("/{id}/transfers")
    public List<TransferView> transfers(
            @PathParam("id") @Positive long id,
            @QueryParam("page") @DefaultValue("0") @PositiveOrZero int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        return ledger.history(id, page, size).stream().map(TransferView::of).toList();
    }
}
