package org.acme.bank.transfer;

import java.sql.SQLException;

/**
 * The statement sent with a COMMIT ({@link ConfirmedCommit#commitWith}) failed, so PostgreSQL skipped the COMMIT: the
 * transaction committed nothing, and there is no outcome to ask the ledger about. Its cause is the statement's failure,
 * whose SQLSTATE says what the client hears.
 */
public class CommitSkippedException extends RuntimeException {

    CommitSkippedException(SQLException statementFailure) {
        super("The statement sent with the COMMIT failed, so the COMMIT did not run", statementFailure);
    }
}
