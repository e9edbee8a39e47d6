package org.acme.bank.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.bank.Caller;

@ApplicationScoped
public class AccountService {

    @Transactional
    public Account open(Caller by, String owner, BigDecimal openingBalance) {
        Account account = Account.open(by, owner, openingBalance);
        account.persist();
        return account;
    }

    /**
     * The account, if the caller may see it, with what of its holds has lapsed ({@link Account#available}); another's
     * is not found, as one that does not exist.
     */
    @Transactional
    public Account get(Caller caller, long id) {
        Account account = Account.<Account>findByIdOptional(id).filter(found -> found.isVisibleTo(caller))
                .orElseThrow(() -> new AccountNotFoundException(id));
        Account.readLapsed(List.of(account), Instant.now());
        return account;
    }

    /**
     * The accounts the caller may see, in id order: a customer's own, or every account for a teller or auditor; with
     * what of their holds has lapsed.
     */
    @Transactional
    public List<Account> list(Caller caller, int page, int size) {
        List<Account> accounts = (caller.readsEverything() ? Account.<Account>findAll(Sort.by("id"))
                : Account.<Account>find("owner", Sort.by("id"), caller.subject())).page(Page.of(page, size)).list();
        Account.readLapsed(accounts, Instant.now());
        return accounts;
    }

    /** Throws {@link AccountNotFoundException} unless the account exists and the caller may see it. */
    @Transactional
    public void requireVisible(Caller caller, long id) {
        get(caller, id);
    }
}
