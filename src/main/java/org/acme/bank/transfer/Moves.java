package org.acme.bank.transfer;

import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.acme.bank.BankException;
import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;
import org.acme.bank.ledger.Transfer;

/**
 * Applies the legs of a movement to the accounts its strategy got hold of, in the order they were asked, each checked
 * against the balances the earlier ones left: legs that together overdraw an account are refused even where each
 * alone would pass. All legs apply, or none does.
 */
public final class Moves {

    private Moves() {
    }

    /**
     * Debits and credits every leg, or changes nothing and throws why: the refusal as a lone transfer would get it, or
     * for a transaction {@link LegRefusedException} naming the leg. {@code accounts} holds those found for the
     * movement by id; an account missing from it, or a sender the caller does not own, is not found, the sender before
     * the receiver, as if it did not exist. Each leg's ledger row, {@code rows} in the same order, is recorded as the
     * next entry of both its accounts, with their balances after it, made at {@code at} ({@link Account#entryTime}).
     */
    public static void apply(Movement movement, Map<Long, Account> accounts, List<Transfer> rows, Instant at) {
        List<Leg> legs = movement.legs();
        // The accounts as they were, put back if a later leg is refused (the batched writer goes on with its batch).
        Map<Account, Account.Snapshot> before = new IdentityHashMap<>();
        for (int i = 0; i < legs.size(); i++) {
            try {
                Leg leg = legs.get(i);
                apply(movement, leg, accounts, before);
                rows.get(i).entered(accounts.get(leg.from()), accounts.get(leg.to()), at);
            } catch (BankException refused) {
                before.forEach(Account::restore);
                throw movement.isTransaction() ? new LegRefusedException(i, refused) : refused;
            }
        }
    }

    private static void apply(Movement movement, Leg leg, Map<Long, Account> accounts,
            Map<Account, Account.Snapshot> before) {
        Account sender = accounts.get(leg.from());
        if (sender == null || !sender.isDebitableBy(movement.caller())) {
            throw new AccountNotFoundException(leg.from());
        }
        Account receiver = accounts.get(leg.to());
        if (receiver == null) {
            throw new AccountNotFoundException(leg.to());
        }
        before.computeIfAbsent(sender, Account::snapshot);
        before.computeIfAbsent(receiver, Account::snapshot);
        sender.debit(movement.caller(), leg.amount());
        receiver.credit(leg.amount());
    }
}
