package org.acme.bank.transfer.strategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.bank.config.BankConfig;
import org.acme.bank.hold.Hold;
import org.acme.bank.hold.HoldCommand;
import org.acme.bank.ledger.Transfer;
import org.acme.bank.transfer.ConflictKind;
import org.acme.bank.transfer.Movement;
import org.acme.bank.transfer.TransferOutcomeUnknownException;
import org.acme.bank.transfer.TransferQueueFullException;
import org.acme.bank.transfer.TransferStrategy;
import org.jboss.logging.Logger;

/**
 * Group commit: requests queue here, and a writer applies whatever queued while its previous batch committed, up to
 * {@code bank.transfer.batched.max-size}, in one transaction ({@link BatchWriter}); {@code writers} of them take
 * batches from the same queue. A lone request is a batch of one;
 * under load a hot account is locked once per batch instead of once per transfer. Each request is answered only
 * after its own batch committed. A full queue, or a request that waited {@code max-wait} without its batch having
 * begun, is refused at once. At shutdown the queue drains while Quarkus waits for the requests in flight; what is
 * still queued once the HTTP server has closed is refused unapplied, and the batches in hand finish (for at most
 * {@code drain-timeout}) before the writers stop.
 * <p>
 * A waiting request holds no thread: its answer is a future the writer completes. Proved by
 * {@code BatchedStrategyTest}, {@code BatchedThreadsTest}, {@code BatchedBackpressureTest}, {@code BatchedWritersTest},
 * {@code BatchedShutdownIT}, and under load by {@code DeadlockScenarioTest}, {@code HotSpotTest},
 * {@code IdempotencyTest}, {@code FaultsIT}, {@code LostCommitIT}.
 */
@ApplicationScoped
public class BatchedStrategy implements TransferStrategy {

    public static final String NAME = "batched";

    private static final Logger LOG = Logger.getLogger(BatchedStrategy.class);

    /** One queued request: a batch takes it, or its caller gives up on it, whichever comes first. */
    private static final class Member {
        final BatchWriter.Request request;
        /** {@link System#nanoTime()} past which it is refused if no batch has taken it. */
        final long deadline;
        /** Completed with what the batch booked for it, or exceptionally with its refusal. */
        final CompletableFuture<BatchWriter.Outcome> answer = new CompletableFuture<>();
        final AtomicBoolean decided = new AtomicBoolean();

        Member(BatchWriter.Request request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    private final BatchWriter writer;
    private final DistributionSummary batchSizes;
    private final Timer batchTransactions;
    private final int maxSize;
    private final Duration maxWait;
    private final Duration drainTimeout;
    private final BlockingQueue<Member> queue;
    /**
     * Refuses the transfers that waited {@code max-wait}: the queue is first in, first out, so the one to refuse next is
     * always its head, and one thread sleeping until the head's deadline times them all, without a timer per transfer.
     */
    private final Thread waitLimit = new Thread(this::refuseOverdue, "batched-transfer-wait-limit");
    private volatile boolean accepting = true;
    private final int writerCount;
    private final List<Thread> writers = new ArrayList<>();

    BatchedStrategy(BatchWriter writer, BankConfig config, MeterRegistry registry) {
        BankConfig.Batched settings = config.transfer().batched();
        this.writer = writer;
        this.maxSize = settings.maxSize();
        this.writerCount = settings.writers();
        this.maxWait = settings.maxWait();
        this.drainTimeout = settings.drainTimeout();
        this.queue = new ArrayBlockingQueue<>(settings.maxQueue());
        waitLimit.setDaemon(true);
        this.batchSizes = DistributionSummary.builder("bank.transfer.batch.size")
                .description("Requests (transfers, transactions, hold placements) applied per batched transaction")
                .publishPercentileHistogram()
                .register(registry);
        this.batchTransactions = Timer.builder("bank.transfer.batch")
                .description("Time of one batched transaction, from its first statement to its COMMIT")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("bank.transfer.batch.queue", queue, BlockingQueue::size)
                .description("Requests (transfers, transactions, hold placements) waiting for their batch")
                .register(registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ConflictKind> conflicts() {
        return ConflictKind.ROW_LOCKING;
    }

    @Override
    public boolean queues() {
        return true;
    }

    void start(@Observes StartupEvent started) {
        waitLimit.start();
        for (int i = 1; i <= writerCount; i++) {
            Thread writer = new Thread(this::writeBatches, "batched-transfer-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /**
     * Quarkus fires this after its HTTP server has closed: until then the queue drains as usual, since its requests
     * count as in flight and Quarkus waits for them (up to {@code quarkus.shutdown.timeout}). Whatever is still
     * queued now has lost its client, so it is not applied: a transfer nobody can be told of must not happen. The
     * batches in hand finish, for at most {@code drain-timeout}.
     */
    void drain(@Observes ShutdownEvent stopping) throws InterruptedException {
        accepting = false;
        refuseQueued();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (Thread writer : writers) {
            writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        waitLimit.interrupt();
        refuseQueued();
    }

    private void refuseQueued() {
        for (Member left = queue.poll(); left != null; left = queue.poll()) {
            refuse(left, "The service stopped before the request's batch began; nothing was done");
        }
    }

    /**
     * Queues the transfer and answers at once: the writer completes the answer after the batch's COMMIT, so no thread
     * waits meanwhile. The transfer is refused if its batch has not begun after {@code max-wait}.
     */
    @Override
    public CompletionStage<List<Transfer>> submit(Movement movement, Executor workers) {
        return enqueue(new BatchWriter.Moving(movement)).thenApply(BatchWriter.Outcome::transfers);
    }

    /**
     * Queues the placement of a hold, which a batch applies with whatever else it took, as it applies a transfer. The
     * hold, not yet read back, once its batch committed.
     */
    public CompletionStage<Hold> place(HoldCommand command) {
        return enqueue(new BatchWriter.Holding(command)).thenApply(BatchWriter.Outcome::hold);
    }

    private CompletionStage<BatchWriter.Outcome> enqueue(BatchWriter.Request request) {
        Member member = new Member(request, System.nanoTime() + maxWait.toNanos());
        if (!accepting || !queue.offer(member)) {
            return CompletableFuture.failedFuture(
                    new TransferQueueFullException("Too many requests are waiting for their batch; try again later"));
        }
        if (!accepting) {
            // Shutdown began between the check and the offer: the writers may be gone already.
            refuse(member, "The service is stopping; nothing was done");
        }
        return member.answer;
    }

    private void refuseOverdue() {
        while (!Thread.currentThread().isInterrupted()) {
            Member oldest = queue.peek();
            long untilDue = oldest == null ? maxWait.toNanos() : oldest.deadline - System.nanoTime();
            if (untilDue > 0) {
                // A transfer queued meanwhile is due no sooner than this wakes.
                LockSupport.parkNanos(this, untilDue);
            } else {
                refuse(oldest, "The request waited longer than bank.transfer.batched.max-wait for its batch; nothing "
                        + "was done");
            }
        }
    }

    /** Answers 503 if no batch has taken the member yet (once its batch has begun, the answer is the batch's). */
    private void refuse(Member member, String why) {
        if (member.decided.compareAndSet(false, true)) {
            queue.remove(member);
            member.answer.completeExceptionally(new TransferQueueFullException(why));
        }
    }

    private void writeBatches() {
        List<Member> batch = new ArrayList<>(maxSize);
        while (accepting) {
            try {
                Member first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxSize - 1);
                batch.removeIf(member -> !member.decided.compareAndSet(false, true));
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Member> batch) {
        try {
            batchSizes.record(batch.size());
            List<BatchWriter.Outcome> outcomes = batchTransactions.record(
                    () -> writer.apply(batch.stream().map(member -> member.request).toList()));
            for (int i = 0; i < batch.size(); i++) {
                BatchWriter.Outcome outcome = outcomes.get(i);
                if (outcome.booked()) {
                    batch.get(i).answer.complete(outcome);
                } else {
                    batch.get(i).answer.completeExceptionally(outcome.refusal());
                }
            }
        } catch (RuntimeException failure) {
            LOG.debugf("A batch of %d requests failed as a whole: %s", batch.size(), failure.getMessage());
            batch.forEach(member -> member.answer.completeExceptionally(failure));
        } catch (Error fatal) {
            // The members are decided, so only this batch can answer them; the writer goes on with the next one. The
            // error may have come after the COMMIT: the outcome is unknown, never "nothing was done".
            LOG.error("A batch failed with an error", fatal);
            TransferOutcomeUnknownException unknown = new TransferOutcomeUnknownException(null,
                    "The service failed while it applied the request's batch", fatal);
            batch.forEach(member -> member.answer.completeExceptionally(unknown));
        }
    }
}
