package org.acme.bank.ledger;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ledger ids for this instance, as Hibernate's pooled-lo optimizer hands them out: each nextval of the sequence is the
 * first of {@link Transfer#ID_BLOCK} ids that belong to whoever drew it, so a transfer knows its id without a round
 * trip 49 times out of 50, and a batch of a thousand rows draws its blocks with one statement. The ids of a row are
 * known before its accounts are read: its idempotency key is claimed under it first.
 */
@ApplicationScoped
public class TransferIds {

    /** The block in hand: its ids from {@code next} up to, not including, {@code end}. */
    private long next;
    private long end;

    /**
     * {@code count} ids, in the current transaction: from the block in hand, then from as many new blocks as they
     * need, drawn with one statement. No lock is held while the database is asked: a slow or unreachable database
     * makes the caller wait, not every other request behind it.
     */
    public List<Long> draw(int count) {
        List<Long> ids = new ArrayList<>(count);
        takeInHand(ids, count);
        if (ids.size() < count) {
            List<Long> firsts = Transfer.idBlocks((count - ids.size() + Transfer.ID_BLOCK - 1) / Transfer.ID_BLOCK);
            for (long first : firsts) {
                for (long id = first; id < first + Transfer.ID_BLOCK && ids.size() < count; id++) {
                    ids.add(id);
                }
            }
            keepRest(ids.get(ids.size() - 1) + 1, firsts.get(firsts.size() - 1) + Transfer.ID_BLOCK);
        }
        return ids;
    }

    private synchronized void takeInHand(List<Long> ids, int count) {
        while (ids.size() < count && next < end) {
            ids.add(next++);
        }
    }

    /** The rest of a new block becomes the block in hand, unless another caller has put one there meanwhile. */
    private synchronized void keepRest(long from, long to) {
        if (next == end) {
            next = from;
            end = to;
        }
    }
}
