package org.acme.bank.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.Positive;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /holds/{id}/post}, which may be left out: the amount to transfer, all of the hold if absent. */
public record PostHoldRequest(
        @Schema(description = "Up to the held amount; the rest is released. All of it when absent", example = "20.00")
        @Positive @MoneyAmount BigDecimal amount) {
}
