package org.acme.bank.web;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Stopping without dropping an answer. On SIGTERM Quarkus reports readiness DOWN and keeps serving for
 * {@code quarkus.shutdown.delay}, time for load balancers to stop sending; then it waits up to
 * {@code quarkus.shutdown.timeout} for the requests in flight, and closes every connection still open. A request that
 * arrives from then on is answered here at once, {@code 503 shutting-down} with {@code Retry-After} (and
 * {@code Connection: close} on HTTP/1.x; HTTP/2 forbids the header), before it can start a transfer: otherwise clients
 * that keep sending keep requests in flight until the timeout, and the close cuts the answers of transfers that
 * committed. The gate closes on {@link ShutdownDelayInitiatedEvent}, which Quarkus fires only with
 * {@code quarkus.shutdown.delay-enabled=true} (fixed at build time); {@code ShutdownEvent} comes too late, after the
 * HTTP server has closed.
 */
@ApplicationScoped
public class ShutdownGate {

    private final Duration delay;
    /** {@link System#nanoTime()} from which requests are refused, once shutdown has begun. */
    private volatile Long refusingFrom;

    ShutdownGate(@ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.delay = delay.orElse(Duration.ZERO);
    }

    void delayInitiated(@Observes ShutdownDelayInitiatedEvent stopping) {
        refusingFrom = System.nanoTime() + delay.toNanos();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseWhileStopping(HttpServerRequest request) {
        Long from = refusingFrom;
        if (from == null || System.nanoTime() - from < 0) {
            return Optional.empty();
        }
        Problem problem = Problem.of(ProblemType.SHUTTING_DOWN,
                "This instance is stopping and started nothing for this request; send it again after Retry-After");
        Response.ResponseBuilder refusal = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem)
                .header("Retry-After", ProblemMappers.RETRY_AFTER_SECONDS);
        if (request.version() != HttpVersion.HTTP_2) {
            refusal.header("Connection", "close");
        }
        return Optional.of(refusal.build());
    }
}
