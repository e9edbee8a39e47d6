package org.acme.bank.web;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An {@code Idempotency-Key} header sent twice is refused on every route: which of the two the client meant is not the
 * service's to pick (the header parameters would silently take the first).
 */
@ApplicationScoped
public class SingleIdempotencyKey {

    @ServerRequestFilter
    public void refuseRepeatedKeys(ContainerRequestContext request) {
        List<String> keys = request.getHeaders().get(TransferResource.IDEMPOTENCY_KEY);
        if (keys != null && keys.size() > 1) {
            throw new InvalidFieldException(TransferResource.IDEMPOTENCY_KEY, "must be sent once, not " + keys.size()
                    + " times");
        }
    }
}
