package org.acme.bank.web;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to {@code POST /transfers/bulk}: one result per item, in the order of the items. */
@RegisterForReflection
public record BulkResponse(List<BulkResult> results) {
}
