package org.acme.bank.web;

import java.time.Duration;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.bank.config.BankConfig;
import org.acme.bank.hold.HoldCommand;
import org.acme.bank.hold.HoldService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Two-phase transfers: reserve now ({@code POST /holds/{strategy}}), post or void later, once. */
@Tag(name = "Holds", description = "Reserve money, then post it (in full or in part) or void it; unposted, it expires")
@Authenticated
@Path("/holds")
@Produces(MediaType.APPLICATION_JSON)
public class HoldResource {

    private static final String KEY_DESCRIPTION = "Makes the operation happen at most once: a repeat with the same key "
            + "(within bank.idempotency.retention) answers the original, 200 with Idempotent-Replayed: true";

    private static final String PLACE = "The sender's available (balance less pending holds) drops by the amount, "
            + "its balance does not. Placed as the strategy places a transfer (naive too where it is on). It expires "
            + "after expiresIn (whole seconds, or an ISO-8601 duration such as PT60S; at most bank.hold.max-expiry) "
            + "unless posted or voided first.";

    private final HoldService holds;
    private final SecurityIdentity identity;
    private final Duration maxExpiry;

    HoldResource(HoldService holds, SecurityIdentity identity, BankConfig config) {
        this.holds = holds;
        this.identity = identity;
        this.maxExpiry = config.hold().maxExpiry();
    }

    @POST
    @Path("pessimistic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "placeHoldPessimistic", summary = "Reserve money, locking both accounts in id order",
            description = PLACE)
    public Uni<Response> placePessimistic(
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam(TransferResource.IDEMPOTENCY_KEY)
            @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull HoldRequest body) {
        return place("pessimistic", idempotencyKey, body);
    }

    @POST
    @Path("optimistic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "placeHoldOptimistic", summary = "Reserve money without holding locks, retrying lost "
            + "races", description = PLACE)
    public Uni<Response> placeOptimistic(
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam(TransferResource.IDEMPOTENCY_KEY)
            @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull HoldRequest body) {
        return place("optimistic", idempotencyKey, body);
    }

    @POST
    @Path("batched")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "placeHoldBatched", summary = "Reserve money in a group commit with other requests",
            description = PLACE + " Applied in one transaction with the transfers and holds that arrive together, "
                    + "accounts locked once per batch in id order; 503 transfer-queue-full when the queue is full, or "
                    + "when the placement waited bank.transfer.batched.max-wait before its batch began.")
    public Uni<Response> placeBatched(
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam(TransferResource.IDEMPOTENCY_KEY)
            @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull HoldRequest body) {
        return place("batched", idempotencyKey, body);
    }

    /**
     * Any other strategy: naive where it is on, else 404 unknown-strategy. Left out of the document: its templated
     * path would be the same as that of {@code GET /holds/{id}}.
     */
    @POST
    @Path("{strategy}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> other(@PathParam("strategy") String strategy,
            @HeaderParam(TransferResource.IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull HoldRequest body) {
        return place(strategy, idempotencyKey, body);
    }

    private Uni<Response> place(String strategy, String idempotencyKey, HoldRequest body) {
        HoldCommand command = body.toCommand(Callers.of(identity), maxExpiry, idempotencyKey);
        return Uni.createFrom().completionStage(() -> holds.place(strategy, command)).map(placed -> {
            if (placed.replayed()) {
                return replayed(HoldView.of(placed));
            }
            return created("/holds/" + placed.hold().id, HoldView.of(placed));
        });
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getHold", summary = "One hold, for the owner of its sender or of its receiver")
    @APIResponse(responseCode = "200", description = "The hold",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldView.class)))
    @APIResponse(responseCode = "404", description = "/problems/hold-not-found: there is no such hold, or the caller "
            + "is not a party to it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HoldView get(@PathParam("id") @Positive long id) {
        return HoldView.of(holds.get(Callers.of(identity), id));
    }

    @POST
    @Path("{id}/post")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "postHold", summary = "Transfer what a hold reserved, in full or in part",
            description = "The owner of the sender or of the receiver may post a pending hold, once. The body is "
                    + "optional: {\"amount\"} up to the held amount transfers that part and releases the rest.")
    @APIResponse(responseCode = "201", description = "The transfer; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "200", description = "Idempotency-Key repeated with the same request: the transfer "
            + "the posting made",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "422", description = "/problems/hold-amount-exceeded, /problems/balance-limit-exceeded "
            + "or /problems/idempotency-key-reused: more than held, a receiver at its limit, or a key that stands for "
            + "another request; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response post(@PathParam("id") @Positive long id,
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam(TransferResource.IDEMPOTENCY_KEY)
            @IdempotencyKeyValue String idempotencyKey,
            @RequestBody(required = false) @Valid PostHoldRequest body, @Context HttpHeaders headers) {
        requireObjectOrNothing(body, headers);
        HoldService.Posting posting = holds.post(Callers.of(identity), id, body == null ? null : body.amount(),
                idempotencyKey);
        TransferView transfer = TransferView.of(posting.transfer());
        if (posting.replayed()) {
            return replayed(transfer);
        }
        return created("/transfers/" + transfer.id(), transfer);
    }

    @POST
    @Path("{id}/void")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "voidHold", summary = "Release what a hold reserved, without transferring it",
            description = "The owner of the sender alone voids a pending hold, once. It takes no body, or {}: a "
                    + "property is refused by name (there is no partial void).")
    @APIResponse(responseCode = "200", description = "The hold, voided (or, for a repeated Idempotency-Key, as it is "
            + "now)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HoldView.class)))
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the receiver's owner may post the hold, not "
            + "void it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "/problems/idempotency-key-reused: the key stands for another "
            + "request; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response voidHold(@PathParam("id") @Positive long id,
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam(TransferResource.IDEMPOTENCY_KEY)
            @IdempotencyKeyValue String idempotencyKey,
            @RequestBody(required = false, description = "None, or {}") VoidHoldRequest noBody,
            @Context HttpHeaders headers) {
        requireObjectOrNothing(noBody, headers);
        HoldService.Answer voided = holds.voidHold(Callers.of(identity), id, idempotencyKey);
        HoldView hold = HoldView.of(voided);
        return voided.replayed() ? replayed(hold) : Response.ok(hold).build();
    }

    /**
     * An optional body is a JSON object or nothing at all: JSON's {@code null} and a body of blanks, which are read as
     * no body, are refused. (A chunked body declares no length: only a body that declares one is checked.)
     */
    private static void requireObjectOrNothing(Object body, HttpHeaders headers) {
        if (body == null && headers.getLength() > 0) {
            throw new InvalidFieldException("body", "must be a JSON object, or no body at all");
        }
    }

    /** A relative Location (RFC 9110), as every creation answers it. */
    private static Response created(String location, Object entity) {
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, location).entity(entity).build();
    }

    private static Response replayed(Object entity) {
        return Response.ok(entity).header("Idempotent-Replayed", "true").build();
    }
}
