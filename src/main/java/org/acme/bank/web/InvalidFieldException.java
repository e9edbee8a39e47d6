package org.acme.bank.web;

/**
 * A field breaks a rule that depends on more than its own value or on a setting, so no annotation can state it: a page
 * too deep for {@link AccountResource}, too few or too many legs or transfers. Answered like a broken annotation.
 */
class InvalidFieldException extends RuntimeException {

    private final String field;

    InvalidFieldException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
