package org.acme.bank.web;

import java.util.List;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An {@code Idempotency-Key} header sent twice is refused on every route: which of the two the client meant is not the
 * service's to pick (the header parameters would silently take the first). Runs after authentication, so a request
 * without a valid token is still a 401.
 */
@ApplicationScoped
public class SingleIdempotencyKey {

    /** Reads Vert.x's headers as they came: the JAX-RS view would copy them all for every request. */
    @ServerRequestFilter
    public void refuseRepeatedKeys(HttpServerRequest request) {
        List<String> keys = request.headers().getAll(TransferResource.IDEMPOTENCY_KEY);
        if (keys.size() > 1) {
            throw new InvalidFieldException(TransferResource.IDEMPOTENCY_KEY, "must be sent once, not " + keys.size()
                    + " times");
        }
    }
}
