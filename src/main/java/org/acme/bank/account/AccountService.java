package org.acme.bank.account;

import java.math.BigDecimal;
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

    /** The account, if the caller may see it; another's is not found, as one that does not exist. */
    @Transactional
    public Account get(Caller caller, long id) {
        return Account.<Account>findByIdOptional(id).filter(account -> account.isVisibleTo(caller))
                .orElseThrow(() -> new AccountNotFoundException(id));
    }

    /** The accounts the caller may see, in id order: a customer's own, or every account for a teller or auditor. */
    @Transactional
    public List<Account> list(Caller caller, int page, int size) {
        return (caller.readsEverything() ? Account.<Account>findAll(Sort.by("id"))
                : Account.<Account>find("owner", Sort.by("id"), caller.subject())).page(Page.of(page, size)).list();
    }

    /** Throws {@link AccountNotFoundException} unless the account exists and the caller may see it. */
    @Transactional
    public void requireVisible(Caller caller, long id) {
        get(caller, id);
    }
}
