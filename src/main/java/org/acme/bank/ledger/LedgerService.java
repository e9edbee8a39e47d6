package org.acme.bank.ledger;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.acme.bank.Caller;
import org.acme.bank.account.AccountService;

@ApplicationScoped
public class LedgerService {

    /**
     * An account's transfers, newest first, below an entry number of the account: each direction is read from its own
     * index ({@code (from_account_id, from_entry)}, {@code (to_account_id, to_entry)}) in order and cut at offset +
     * size rows, so a page costs what it shows (plus its offset) instead of reading and sorting every transfer of the
     * account. Ids would not do: they are drawn in blocks, and a transfer made now can have a lower id than one made a
     * minute ago.
     */
    private static final String HISTORY_SQL = """
            select * from (
                (select * from transfer where from_account_id = :account and from_entry < :before
                  order by from_entry desc limit :reach)
                union all
                (select * from transfer where to_account_id = :account and to_entry < :before
                  order by to_entry desc limit :reach)
            ) as both_directions
            order by case when from_account_id = :account then from_entry else to_entry end desc
            offset :offset limit :size
            """;

    private final EntityManager entityManager;
    private final AccountService accounts;

    LedgerService(EntityManager entityManager, AccountService accounts) {
        this.entityManager = entityManager;
        this.accounts = accounts;
    }

    /**
     * The transfer, if the caller may see it: a party to it (the owner of either account), a teller or an auditor.
     * Another's is not found, as one that does not exist.
     */
    @Transactional
    public Transfer get(Caller caller, long id) {
        return entityManager.createQuery("""
                        select t from Transfer t where t.id = :id and (:everything = true or exists (
                            select 1 from Account a
                             where a.owner = :subject and a.id in (t.fromAccountId, t.toAccountId)))
                        """, Transfer.class)
                .setParameter("id", id)
                .setParameter("everything", caller.readsEverything())
                .setParameter("subject", caller.subject())
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new TransferNotFoundException(id));
    }

    /** The transfer written under this subject's idempotency key, if any, in one query. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Transfer> findByIdempotencyKey(String subject, String key) {
        return entityManager.createQuery("select t from Transfer t, IdempotencyKey k"
                        + " where k.key = :key and k.subject = :subject and t.id = k.transferId", Transfer.class)
                .setParameter("key", key)
                .setParameter("subject", subject)
                .getResultStream()
                .findFirst();
    }

    /** The legs of a transaction, in order, for the service's own use (a replay of the transaction's key). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Transfer> legsOf(long transactionId) {
        return Transfer.legsOf(transactionId);
    }

    /**
     * The legs of a transaction, in order, if the caller may see it: the customer who made it (the owner of the
     * accounts it debits, since only an owner debits), a teller or an auditor. A customer who only receives in it sees
     * their own legs as transfers, not the others': to them the transaction is not found, as one that does not exist.
     */
    @Transactional
    public List<Transfer> transaction(Caller caller, long id) {
        List<Transfer> legs = Transfer.legsOf(id);
        if (legs.isEmpty() || !caller.readsEverything() && entityManager.createQuery(
                        "select count(*) from Account where owner = :subject and id in :senders", Long.class)
                .setParameter("subject", caller.subject())
                .setParameter("senders", legs.stream().map(leg -> leg.fromAccountId).toList())
                .getSingleResult() == 0) {
            throw new TransactionNotFoundException(id);
        }
        return legs;
    }

    /**
     * The account's transfers in either direction, newest first: its entries numbered below {@code before} (all when
     * null), skipping {@code offset} of them; for those who may see the account. Rows written by plain SQL, outside the
     * service, have no entry number and are not among them.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Transfer> history(Caller caller, long accountId, Long before, long offset, int size) {
        accounts.requireVisible(caller, accountId);
        return entityManager.createNativeQuery(HISTORY_SQL, Transfer.class)
                .setParameter("account", accountId)
                .setParameter("before", before == null ? Long.MAX_VALUE : before)
                .setParameter("reach", offset + size)
                .setParameter("offset", offset)
                .setParameter("size", size)
                .getResultList();
    }
}
