package org.acme.bank.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.bank.account.Account;
import org.acme.bank.account.AccountService;
import org.acme.bank.ledger.LedgerService;
import org.acme.bank.ledger.Statements;
import org.acme.bank.ledger.Transfer;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Tag(name = "Accounts", description = "Open accounts, read balances and histories")
@Authenticated
@Path("/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    /** The highest page number accepted at all: page times size then stays far inside an {@code int}. */
    static final int MAX_PAGE = 10_000;
    /**
     * The most rows a page may skip: an offset is read and thrown away by the database, so deep pages would cost
     * without bound (ten million rows for page 10000 of 1000), and twenty of them at once would hold every pooled
     * connection. Deeper history is read with {@code before}, which costs what it shows.
     */
    static final int MAX_OFFSET = 10_000;

    static final String CSV = "text/csv";
    private static final MediaType CSV_TYPE = MediaType.valueOf(CSV);

    private final AccountService accounts;
    private final LedgerService ledger;
    private final Statements statements;
    private final SecurityIdentity identity;

    AccountResource(AccountService accounts, LedgerService ledger, Statements statements,
            SecurityIdentity identity) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.statements = statements;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "openAccount", summary = "Open an account",
            description = "A customer opens accounts for themselves (owner omitted or their own subject), with "
                    + "nothing in them; a teller opens them for anyone, with an opening balance (default 0).")
    @APIResponse(responseCode = "201", description = "The account; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "403", description = "/problems/forbidden: a customer asked for an account of someone "
            + "else's, or with money in it (a teller's actions); nothing was changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response open(@Valid @NotNull OpenAccountRequest body) {
        Account account = accounts.open(Callers.of(identity), body.owner(), body.openingBalance());
        // Relative (RFC 9110), as docs/api.md has it: resolved against the request, it would name whatever host the
        // request named, a proxy's inner address included.
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, "/accounts/" + account.id)
                .entity(AccountView.of(account)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getAccount", summary = "One account: the caller's own, or any for a teller or auditor")
    @APIResponse(responseCode = "200", description = "The account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "404", description = "/problems/account-not-found: there is no such account, or it is "
            + "another's (a customer sees only their own)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AccountView get(@PathParam("id") @Positive long id) {
        return AccountView.of(accounts.get(Callers.of(identity), id));
    }

    @GET
    @Operation(operationId = "listAccounts", summary = "The caller's accounts (every account for a teller or auditor) in id order, one page at a time (size 1 to 1000, page times size at most 10000); a page past the end is empty")
    @APIResponse(responseCode = "200", description = "One page of accounts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class, type = SchemaType.ARRAY)))
    public List<AccountView> list(
            @QueryParam("page") @DefaultValue("0") @PositiveOrZero @Max(MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        requireShallow(page, size);
        return accounts.list(Callers.of(identity), page, size).stream().map(AccountView::of).toList();
    }

    @GET
    @Path("/{id}/transfers")
    @Operation(operationId = "accountTransfers", summary = "An account's transfers in either direction, newest first. Page through them with `before` "
            + "(an entry number of the account, as the Link header rel=\"next\" gives it), or with `page` for shallow pages (page times size at most 10000)")
    @APIResponse(responseCode = "200", description = "One page of transfers; a full page carries a Link header "
            + "rel=\"next\" to the page after it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "/problems/account-not-found: there is no such account, or it is "
            + "another's (a customer sees only their own)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transfers(
            @PathParam("id") @Positive long id,
            @Parameter(description = "Only the account's entries numbered below this one (each side of a transfer is an "
                    + "entry of its account, numbered 1, 2, 3, ... in the order they were made)") @QueryParam("before") @Positive Long before,
            @QueryParam("page") @DefaultValue("0") @PositiveOrZero @Max(MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        requireShallow(page, size);
        List<Transfer> entries = ledger.history(Callers.of(identity), id, before, (long) page * size, size);
        Response.ResponseBuilder answer = Response.ok(entries.stream().map(TransferView::of).toList());
        if (entries.size() == size) {
            answer.link(URI.create("/accounts/" + id + "/transfers?before=" + entries.get(size - 1).entryOf(id)
                    + "&size=" + size), "next");
        }
        return answer.build();
    }

    @GET
    @Path("/{id}/balance")
    @Operation(operationId = "balanceAsOf", summary = "An account's balance, and what was available, at an instant",
            description = "From the ledger's running balances, by index: after every entry made at or before asOf.")
    @APIResponse(responseCode = "200", description = "The balance at that instant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Statements.BalanceAsOf.class)))
    @APIResponse(responseCode = "404", description = "/problems/account-not-found: there is no such account, or it is "
            + "another's (a customer sees only their own)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Statements.BalanceAsOf balance(@PathParam("id") @Positive long id,
            @Parameter(description = "An RFC 3339 instant, from the account's createdAt to now (now when absent); "
                    + "an offset's + is sent as %2B", example = "2026-11-30T23:59:59Z")
            @QueryParam("asOf") String asOf) {
        return statements.balanceAsOf(Callers.of(identity), id,
                asOf == null ? null : RequestInstants.roundedDown("asOf", asOf));
    }

    @GET
    @Path("/{id}/statement")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(operationId = "statement", summary = "An account's statement of a period, as JSON or CSV",
            description = "Opening balance, the period's entries in order with the balance after each, closing "
                    + "balance. The period is [from, to): from the account's opening and up to now when left out. A "
                    + "full page carries a Link header rel=\"next\". Accept: text/csv gives the entries as CSV, one "
                    + "line each after a header line: entry_id (the transfer's id), time, counterparty, amount "
                    + "(negative when the account sent it), balance_after; the opening and closing balances are then "
                    + "in the headers Opening-Balance and Closing-Balance.")
    @APIResponse(responseCode = "200", description = "One page of the statement", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Statements.Statement.class)),
            @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "404", description = "/problems/account-not-found: there is no such account, or it is "
            + "another's (a customer sees only their own)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response statement(@PathParam("id") @Positive long id,
            @Parameter(description = "The period's start, included (RFC 3339)") @QueryParam("from") String from,
            @Parameter(description = "The period's end, excluded (RFC 3339)") @QueryParam("to") String to,
            @Parameter(description = "Only entries numbered above this one (the Link header rel=\"next\" gives it)")
            @QueryParam("after") @DefaultValue("0") @PositiveOrZero long after,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size,
            @Context HttpHeaders headers) {
        Statements.Statement statement = read(id, from, to, after, size);
        if (prefersCsv(headers)) {
            return csv(statement, size);
        }
        return paged(Response.ok(statement, MediaType.APPLICATION_JSON_TYPE), statement, size).build();
    }

    /**
     * Whether the most preferred media range the client accepts that this route can answer is CSV's (JSON when a range
     * matches both, as any type does). The route's {@code @Produces} has already answered 406 when none matches: one
     * route for both, since with a route for each, an Accept header that matched neither was answered JSON.
     */
    private static boolean prefersCsv(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .filter(range -> range.isCompatible(MediaType.APPLICATION_JSON_TYPE) || range.isCompatible(CSV_TYPE))
                .findFirst().map(range -> !range.isCompatible(MediaType.APPLICATION_JSON_TYPE)).orElse(false);
    }

    private static Response csv(Statements.Statement statement, int size) {
        StringBuilder csv = new StringBuilder("entry_id,time,counterparty,amount,balance_after\r\n");
        statement.entries().forEach(entry -> csv.append(entry.transferId()).append(',').append(entry.createdAt())
                .append(',').append(entry.counterparty()).append(',').append(entry.amount().toPlainString())
                .append(',').append(entry.balanceAfter().toPlainString()).append("\r\n"));
        return paged(Response.ok(csv.toString(), CSV_TYPE), statement, size)
                .header("Opening-Balance", statement.openingBalance().toPlainString())
                .header("Closing-Balance", statement.closingBalance().toPlainString()).build();
    }

    /** The period's order is checked as named: rounded to the microsecond, a period shorter than one is empty. */
    private Statements.Statement read(long id, String from, String to, long after, int size) {
        if (from != null && to != null && !RequestInstants.before(from, to)) {
            throw new InvalidFieldException("from", "must be before to");
        }
        return statements.statement(Callers.of(identity), id,
                from == null ? null : RequestInstants.roundedUp("from", from),
                to == null ? null : RequestInstants.roundedUp("to", to), after, size);
    }

    /** A full page links to the next: the same period, after its last entry. */
    private static Response.ResponseBuilder paged(Response.ResponseBuilder answer, Statements.Statement statement,
            int size) {
        List<Statements.Entry> entries = statement.entries();
        if (entries.size() == size) {
            answer.link(URI.create("/accounts/" + statement.account() + "/statement?from=" + statement.from() + "&to="
                    + statement.to() + "&after=" + entries.get(size - 1).entry() + "&size=" + size), "next");
        }
        return answer;
    }

    private static void requireShallow(int page, int size) {
        if ((long) page * size > MAX_OFFSET) {
            throw new InvalidFieldException("page", "page times size may skip at most " + MAX_OFFSET
                    + " rows; read deeper with before (the Link header rel=\"next\" names it)");
        }
    }
}
