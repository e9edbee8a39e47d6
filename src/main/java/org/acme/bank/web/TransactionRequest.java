package org.acme.bank.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.acme.bank.Caller;
import org.acme.bank.transfer.Leg;
import org.acme.bank.transfer.TransactionCommand;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of every {@code POST /transactions/{strategy}}: the legs, applied in this order, all or none. */
public record TransactionRequest(
        @Schema(description = "2 to bank.transaction.max-legs (16 by default) transfers, applied in this order in one "
                + "database transaction, each against the balances the earlier ones left")
        @NotNull List<@NotNull @Valid TransferRequest> legs) {

    TransactionCommand toCommand(Caller caller, String idempotencyKey, int maxLegs) {
        if (legs.size() < 2 || legs.size() > maxLegs) {
            throw new InvalidFieldException("legs", "must hold 2 to " + maxLegs + " legs (it holds " + legs.size()
                    + "); a single transfer is POST /transfers/{strategy}");
        }
        return new TransactionCommand(caller,
                legs.stream().map(leg -> new Leg(leg.from(), leg.to(), leg.amount())).toList(), idempotencyKey);
    }
}
