package org.acme.bank.web;

/** A page whose offset would make the database read and skip more rows than {@link AccountResource} allows. */
class PageTooDeepException extends RuntimeException {

    PageTooDeepException(String message) {
        super(message, null, false, false);
    }
}
