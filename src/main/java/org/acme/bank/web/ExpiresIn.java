package org.acme.bank.web;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A hold's {@code expiresIn} as a client sends it: whole seconds (a JSON number) or an ISO-8601 duration (a string
 * such as {@code "PT60S"}). Text that is not a duration, and a number that is not whole seconds, are kept, to be
 * refused as a 400 that names the field.
 */
public record ExpiresIn(Duration duration, String unreadable) {

    /** A JSON number: whole seconds however written ({@code 60}, {@code 60.0}, {@code 6e1}), else kept. */
    @JsonCreator
    static ExpiresIn ofSeconds(BigDecimal seconds) {
        try {
            return new ExpiresIn(Duration.ofSeconds(seconds.longValueExact()), null);
        } catch (ArithmeticException notWhole) {
            return new ExpiresIn(null, seconds.toString());
        }
    }

    @JsonCreator
    static ExpiresIn of(String text) {
        try {
            return new ExpiresIn(Duration.parse(text), null);
        } catch (DateTimeParseException notADuration) {
            return new ExpiresIn(null, text);
        }
    }

    /** The duration, if it is one from a second to {@code max}; else the 400 that names the field. */
    Duration within(Duration max) {
        if (duration == null || duration.getNano() != 0 || duration.compareTo(Duration.ofSeconds(1)) < 0
                || duration.compareTo(max) > 0) {
            throw new InvalidFieldException("expiresIn", "must be whole seconds, as a number or an ISO-8601 duration "
                    + "such as PT60S, from 1 second to " + max.toSeconds() + " seconds (bank.hold.max-expiry)");
        }
        return duration;
    }
}
