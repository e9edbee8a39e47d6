package org.acme.bank.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem detail. {@code type} is a relative URI naming the kind of problem, stable for clients to branch
 * on; {@code violations} lists the offending fields of an invalid request.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}
