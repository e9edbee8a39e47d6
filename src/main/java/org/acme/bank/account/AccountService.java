package org.acme.bank.account;

import java.math.BigDecimal;
import java.util.List;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class AccountService {

    @Transactional
    public Account open(String owner, BigDecimal openingBalance) {
        Account account = Account.open(owner, openingBalance);
        account.persist();
        return account;
    }

    @Transactional
    public Account get(long id) {
        return Account.<Account>findByIdOptional(id).orElseThrow(() -> new AccountNotFoundException(id));
    }

    @Transactional
    public List<Account> list(int page, int size) {
        return Account.<Account>findAll(Sort.by("id")).page(Page.of(page, size)).list();
    }

    /** Throws {@link AccountNotFoundException} unless the account exists. */
    @Transactional
    public void requireExists(long id) {
        if (Account.count("id", id) == 0) {
            throw new AccountNotFoundException(id);
        }
    }
}
