package org.acme.bank.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over {@code quarkus.http.limits.max-body-size} with a 413 problem. Quarkus
 * enforces the same limit one step later with an empty 413; this answer comes first so that clients get a problem
 * document like every other refusal. Bodies sent without a length are cut off by Quarkus as they are read.
 */
@ApplicationScoped
public class PayloadTooLarge {

    private final long maxBodyBytes;
    private final String problem;

    PayloadTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) throws JsonProcessingException {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.problem = json.writeValueAsString(new Problem(ProblemMappers.type("payload-too-large"),
                "Payload too large", 413, "The body is larger than " + maxBodyBytes + " bytes", null, null));
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::refuseOversizedBody);
    }

    private void refuseOversizedBody(RoutingContext context) {
        if (declaredLength(context) <= maxBodyBytes) {
            context.next();
            return;
        }
        // The body is never read, so the connection cannot carry another request.
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
