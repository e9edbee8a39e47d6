package org.acme.bank.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
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

import org.acme.bank.Caller;
import org.acme.bank.config.BankConfig;
import org.acme.bank.ledger.LedgerService;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.TransferCommand;
import org.acme.bank.transfer.TransferResult;
import org.acme.bank.transfer.TransferService;
import org.acme.bank.transfer.strategy.BatchedStrategy;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One operation per strategy, so that each is documented with when to choose it; their answers are the same and are
 * written into the OpenAPI document once ({@link ApiDocument}). The methods are non-blocking: the service runs a
 * transaction on a worker thread, or queues it (batched) without holding one.
 */
@Tag(name = "Transfers", description = "Move money with a strategy, and read the ledger")
@Authenticated
@Path("/transfers")
@Produces(MediaType.APPLICATION_JSON)
public class TransferResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TransferService transfers;
    private final LedgerService ledger;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final Validator validator;
    private final ProblemMappers problems;
    private final int maxBulkItems;

    TransferResource(TransferService transfers, LedgerService ledger, SecurityIdentity identity, ObjectMapper json,
            Validator validator, ProblemMappers problems, BankConfig config) {
        this.transfers = transfers;
        this.ledger = ledger;
        this.identity = identity;
        this.json = json;
        this.validator = validator;
        this.problems = problems;
        this.maxBulkItems = config.bulk().maxItems();
    }

    @POST
    @Path("pessimistic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transferPessimistic", summary = "Move money, locking both accounts in id order",
            description = "The default choice: row locks taken in ascending account id, so crossing transfers wait "
                    + "instead of deadlocking. Every transfer succeeds unless money is missing; on a hot account "
                    + "throughput is one transaction at a time.")
    public Uni<Response> pessimistic(@HeaderParam(IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransferRequest body) {
        return transfer(transfers, identity, "pessimistic", idempotencyKey, body);
    }

    @POST
    @Path("optimistic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transferOptimistic", summary = "Move money without holding locks, retrying lost races",
            description = "For accounts that are rarely touched at once: no lock is held while the transfer is "
                    + "decided; a version check catches a lost race and the transfer is retried in a fresh "
                    + "transaction with backoff. Under heavy contention retries can run out (409 retries-exhausted).")
    public Uni<Response> optimistic(@HeaderParam(IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransferRequest body) {
        return transfer(transfers, identity, "optimistic", idempotencyKey, body);
    }

    @POST
    @Path("batched")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transferBatched", summary = "Move money in a group commit with other transfers",
            description = "For hot accounts and many concurrent clients: transfers that arrive together are applied "
                    + "in one transaction, accounts locked once per batch in id order. Answered after the batch's "
                    + "COMMIT; a lone transfer waits a little longer than with pessimistic. 503 transfer-queue-full "
                    + "when the queue is full.")
    public Uni<Response> batched(@HeaderParam(IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransferRequest body) {
        return transfer(transfers, identity, "batched", idempotencyKey, body);
    }

    @POST
    @Path("bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "transferBulk", summary = "Move money in many independent transfers with one request",
            description = "1 to bank.bulk.max-items transfers, applied through the batched strategy's writer. Each is "
                    + "answered in its slot, in order, with what it would have got as a request of its own: its "
                    + "status and the transfer, or the problem (a broken field is a 400 in its slot; one transfer's "
                    + "refusal never touches another). Each may carry its own idempotencyKey; the same key twice in "
                    + "one request answers the second as a repeat of the first; an Idempotency-Key header for the whole "
                    + "request is refused (400), as a retry would move everything again. The body limit of this route "
                    + "alone is bank.bulk.max-body-size.")
    @APIResponse(responseCode = "200", description = "One result per transfer, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BulkResponse.class)))
    public Uni<BulkResponse> bulk(
            // Not in the document: a client generated from it would offer a header that is always refused.
            @Parameter(hidden = true) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Valid @NotNull BulkRequest body) {
        if (idempotencyKey != null) {
            throw new InvalidFieldException(IDEMPOTENCY_KEY, "a bulk takes no key of its own: give each transfer its "
                    + "idempotencyKey");
        }
        List<JsonNode> items = body.transfers();
        if (items.isEmpty() || items.size() > maxBulkItems) {
            throw new InvalidFieldException("transfers", "must hold 1 to " + maxBulkItems + " transfers (it holds "
                    + items.size() + ")");
        }
        Caller caller = Callers.of(identity);
        BulkResult[] results = new BulkResult[items.size()];
        List<Integer> slots = new ArrayList<>(items.size());
        List<TransferCommand> commands = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = read(items.get(i));
            if (item.transfer() == null) {
                results[i] = BulkResult.of((Problem) item.invalid().getEntity());
            } else {
                commands.add(item.transfer().toCommand(caller));
                slots.add(i);
            }
        }
        List<CompletableFuture<TransferResult>> answers = transfers.transferAll(BatchedStrategy.NAME, commands);
        return Uni.createFrom().completionStage(() -> CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    for (int i = 0; i < answers.size(); i++) {
                        results[slots.get(i)] = result(answers.get(i));
                    }
                    return new BulkResponse(List.of(results));
                }));
    }

    /** A bulk item read: the transfer, or the 400 it would get as the body of a transfer of its own. */
    private record Item(BulkItem transfer, Response invalid) {
    }

    private Item read(JsonNode node) {
        if (!node.isObject()) {
            return new Item(null, problems.malformed("The transfer is not a JSON object with from, to and amount"));
        }
        BulkItem transfer;
        try {
            transfer = json.treeToValue(node, BulkItem.class);
        } catch (UnrecognizedPropertyException unknown) {
            return new Item(null, problems.unknownProperty(unknown));
        } catch (JsonProcessingException unreadable) {
            return new Item(null, problems.unreadableJson(unreadable));
        }
        if (transfer.plainlyValid()) {
            return new Item(transfer, null);
        }
        Set<ConstraintViolation<BulkItem>> violations = validator.validate(transfer);
        return violations.isEmpty() ? new Item(transfer, null)
                : new Item(null, problems.invalid(new ConstraintViolationException(violations)));
    }

    private BulkResult result(CompletableFuture<TransferResult> answer) {
        try {
            TransferResult result = answer.join();
            return new BulkResult(result.replayed() ? 200 : 201, TransferView.of(result.transfer()), null);
        } catch (CompletionException failed) {
            Throwable cause = failed.getCause();
            return BulkResult.of((Problem) problems.transferFailure(cause instanceof RuntimeException runtime
                    ? runtime : new IllegalStateException(cause)).getEntity());
        }
    }

    /**
     * Any other strategy name, answered 404 unknown-strategy (after the body's checks, as before). Left out of the
     * document: its templated path would be the same as that of {@code GET /transfers/{id}}.
     */
    @POST
    @Path("{strategy}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> unknown(@PathParam("strategy") String strategy,
            @HeaderParam(IDEMPOTENCY_KEY) @IdempotencyKeyValue String idempotencyKey,
            @Valid @NotNull TransferRequest body) {
        return transfer(transfers, identity, strategy, idempotencyKey, body);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTransfer", summary = "One transfer of the ledger: one the caller is a party to, or any for a teller or auditor")
    @APIResponse(responseCode = "200", description = "The transfer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "404", description = "/problems/transfer-not-found: there is no such transfer, or the "
            + "caller is not a party to it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TransferView get(@PathParam("id") @Positive long id) {
        return TransferView.of(ledger.get(Callers.of(identity), id));
    }

    static Uni<Response> transfer(TransferService transfers, SecurityIdentity identity, String strategy,
            String idempotencyKey, TransferRequest body) {
        TransferCommand command = body.toCommand(Callers.of(identity), idempotencyKey);
        return Uni.createFrom().completionStage(() -> transfers.transfer(strategy, command))
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
}
