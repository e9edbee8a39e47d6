package org.acme.bank.web;

/**
 * Body of {@code POST /holds/{id}/void}, which takes none: at most {@code {}}. Read all the same, so that a property
 * such as {@code {"amount": 1}} (a partial void, which does not exist) is refused by name instead of voiding the whole
 * hold, and a body that is not JSON is refused as for every other route.
 */
public record VoidHoldRequest() {
}
