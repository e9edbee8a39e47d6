package org.acme.bank.lab;

import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A bearer token and what the lab reads of it: the subject, whose accounts it may debit, and the roles as the service
 * reads them ({@code groups}, and Keycloak's {@code realm_access.roles}). Decoded, not verified: the service verifies.
 */
record Token(String jwt, String subject, Set<String> roles) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JWT's three base64url parts, with a subject among its claims; anything else is refused. */
    static Token of(String jwt) {
        String[] parts = jwt.trim().split("\\.");
        try {
            JsonNode claims = parts.length == 3 ? JSON.readTree(Base64.getUrlDecoder().decode(parts[1])) : null;
            if (claims != null && claims.path("sub").isTextual() && !claims.path("sub").asText().isEmpty()) {
                Set<String> roles = new TreeSet<>();
                claims.path("groups").forEach(role -> roles.add(role.asText()));
                claims.path("realm_access").path("roles").forEach(role -> roles.add(role.asText()));
                return new Token(jwt.trim(), claims.path("sub").asText(), Set.copyOf(roles));
            }
        } catch (IOException | IllegalArgumentException notBase64UrlJson) {
            // refused below
        }
        throw new IllegalArgumentException("not a JWT with a subject (header.claims.signature, sub among the claims)");
    }

    boolean teller() {
        return roles.contains("teller");
    }

    boolean auditor() {
        return roles.contains("auditor");
    }

    /** The subject and roles only: a token is never printed. */
    @Override
    public String toString() {
        return roles.isEmpty() ? subject : subject + " " + roles;
    }
}
