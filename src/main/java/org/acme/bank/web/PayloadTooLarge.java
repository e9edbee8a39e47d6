package org.acme.bank.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request body over {@code quarkus.http.limits.max-body-size} with a 413 problem, before Quarkus' own checks
 * answer an empty 413: a declared length is judged at once; a chunked body, whose length is known only at its end, is
 * read here against the limit and handed on already read (Quarkus REST then takes it from the routing context).
 */
@ApplicationScoped
public class PayloadTooLarge {

    private final long maxBodyBytes;
    private final String problem;

    PayloadTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) throws JsonProcessingException {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.problem = json.writeValueAsString(Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The body is larger than " + maxBodyBytes + " bytes"));
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            if (declaredLength(context) > maxBodyBytes) {
                refuse(context);
            } else if (context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                readChunkedBody(context);
            } else {
                context.next();
            }
        });
    }

    /**
     * Reads a body of unknown length here, refusing it once it outgrows the limit, and hands it on already read.
     * {@code setBody} is deprecated on Vert.x 4.5 but still what its own BodyHandler does; that handler cannot be used
     * instead, as it leaves an empty body unset and Quarkus REST then waits for a body that has already ended.
     */
    @SuppressWarnings("deprecation")
    private void readChunkedBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                refuse(context);
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

    private void refuse(RoutingContext context) {
        // The rest of the body is never read, so the connection cannot carry another request.
        context.response().endHandler(ended -> context.request().connection().close());
        context.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(problem);
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
