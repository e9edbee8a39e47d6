package org.acme.bank.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.bank.config.BankConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request body over {@code quarkus.http.limits.max-body-size} (over {@code bank.bulk.max-body-size} for
 * {@code POST /transfers/bulk}) with a 413 problem, before Quarkus' own checks answer an empty 413: a declared length
 * is judged at once; a chunked body, whose length is known only at its end, is read here against the limit and handed
 * on already read (Quarkus REST then takes it from the routing context). Quarkus' own check knows one limit, that of
 * every route: a bulk request's declared length is hidden from it and put back after it, with the bulk limit for
 * Quarkus to hold the body to as it arrives. (A body cannot be read here and handed on over HTTP/2, whose request
 * Quarkus REST pauses, which fails once it has ended; HTTP/2 has no chunked bodies.)
 */
@ApplicationScoped
public class PayloadTooLarge {

    /** A body limit, and the problem that refuses a body over it. */
    private record Limit(long bytes, String problem) {
    }

    /** The Content-Length of a bulk request, kept aside while Quarkus' own check runs. */
    private static final String BULK_LENGTH = PayloadTooLarge.class.getName() + ".bulk-length";

    private final Limit everyRoute;
    private final Limit bulk;
    private final String bulkPath;

    PayloadTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath,
            @ConfigProperty(name = "quarkus.rest.input-buffer-size") MemorySize inputBufferSize, BankConfig config,
            ObjectMapper json) throws JsonProcessingException {
        this.everyRoute = limit(maxBodySize.asLongValue(), json);
        this.bulk = limit(config.bulk().maxBodySize().asLongValue(), json);
        if (Math.max(bulk.bytes(), everyRoute.bytes()) > inputBufferSize.asLongValue()) {
            // Quarkus REST would take a larger body read here only in part, and answer that it is not JSON.
            throw new IllegalStateException("bank.bulk.max-body-size and quarkus.http.limits.max-body-size must not "
                    + "exceed quarkus.rest.input-buffer-size (" + inputBufferSize.asLongValue() + " bytes, fixed when "
                    + "the service is built), which holds a body read whole before Quarkus REST takes it");
        }
        this.bulkPath = (rootPath.endsWith("/") ? rootPath : rootPath + "/") + "transfers/bulk";
    }

    private static Limit limit(long bytes, ObjectMapper json) throws JsonProcessingException {
        return new Limit(bytes, json.writeValueAsString(Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The body is larger than " + bytes + " bytes")));
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            boolean isBulk = bulkPath.equals(context.normalizedPath());
            Limit limit = isBulk ? bulk : everyRoute;
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declaredLength(context) > limit.bytes()) {
                refuse(context, limit);
            } else if (context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                readBody(context, limit);
            } else if (isBulk && declared != null) {
                // Hidden from Quarkus' own check, which knows only the limit of every other route; put back below.
                context.request().headers().remove(HttpHeaders.CONTENT_LENGTH);
                context.put(BULK_LENGTH, declared);
                context.next();
            } else {
                context.next();
            }
        });
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(context -> {
            String declared = context.get(BULK_LENGTH);
            if (declared != null) {
                context.request().headers().set(HttpHeaders.CONTENT_LENGTH, declared);
            }
            if (bulkPath.equals(context.normalizedPath())) {
                // Read by Quarkus as the body arrives, when no Content-Length bounded it beforehand (HTTP/2).
                context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, bulk.bytes());
            }
            context.next();
        });
    }

    /**
     * Reads the body here (one of unknown length, or a bulk one), refusing it once it outgrows its limit, and hands it
     * on already read.
     * {@code setBody} is deprecated on Vert.x 4.5 but still what its own BodyHandler does; that handler cannot be used
     * instead, as it leaves an empty body unset and Quarkus REST then waits for a body that has already ended.
     */
    @SuppressWarnings("deprecation")
    private void readBody(RoutingContext context, Limit limit) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > limit.bytes()) {
                refuse(context, limit);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!context.response().ended()) {
                context.setBody(body);
                context.next();
            }
        });
        request.resume();
    }

    private static void refuse(RoutingContext context, Limit limit) {
        // The rest of the body is never read, so the connection cannot carry another request.
        context.response().endHandler(ended -> context.request().connection().close());
        context.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(limit.problem());
    }

    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return 0;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException malformed) {
            return 0;
        }
    }
}
