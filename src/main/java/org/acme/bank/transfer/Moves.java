package org.acme.bank.transfer;

import java.math.BigDecimal;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.acme.bank.BankException;
import org.acme.bank.account.Account;
import org.acme.bank.account.AccountNotFoundException;

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
     * the receiver, as if it did not exist.
     */
    public static void apply(Movement movement, Map<Long, Account> accounts) {
        List<Leg> legs = movement.legs();
        // The balances as they were, put back if a later leg is refused (the batched writer goes on with its batch).
        Map<Account, BigDecimal> before = new IdentityHashMap<>();
        for (int i = 0; i < legs.size(); i++) {
            try {
                apply(movement, legs.get(i), accounts, before);
            } catch (BankException refused) {
                before.forEach((account, balance) -> account.balance = balance);
                throw movement.isTransaction() ? new LegRefusedException(i, refused) : refused;
            }
        }
    }

    private static void apply(Movement movement, Leg leg, Map<Long, Account> accounts,
            Map<Account, BigDecimal> before) {
        Account sender = accounts.get(leg.from());
        if (sender == null || !sender.isDebitableBy(movement.caller())) {
            throw new AccountNotFoundException(leg.from());
        }
        Account receiver = accounts.get(leg.to());
        if (receiver == null) {
            throw new AccountNotFoundException(leg.to());
        }
        before.putIfAbsent(sender, sender.balance);
        before.putIfAbsent(receiver, receiver.balance);
        sender.debit(movement.caller(), leg.amount());
        receiver.credit(leg.amount());
    }
}
