package org.acme.bank.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.acme.bank.ledger.Audit;
import org.acme.bank.ledger.LedgerService;

@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final LedgerService ledger;

    AuditResource(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GET
    public Audit audit() {
        return ledger.audit();
    }
}
