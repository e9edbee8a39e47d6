package org.acme.bank.transfer;

import org.acme.bank.BankException;

/** No database connection could be had in time: the pool stayed exhausted or the database did not answer. */
public class DatabaseUnavailableException extends BankException {

    public DatabaseUnavailableException() {
        super("No database connection became available in time; nothing was changed");
    }
}
