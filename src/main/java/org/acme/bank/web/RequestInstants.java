package org.acme.bank.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instant a client names ({@code asOf}, {@code from}, {@code to}): RFC 3339's {@code date-time} (section 5.6), and
 * nothing looser. The ledger keeps microseconds, so the instant is read to the microsecond, rounded in the direction
 * that selects the same entries as the exact instant would: down for a bound that includes it ({@code asOf}: at or
 * before), up for a period's bounds ({@code [from, to)}). The driver would round to the nearest, and an entry a few
 * nanoseconds after {@code asOf} would count.
 */
final class RequestInstants {

    /** Date, time with seconds and any fraction, then Z or an offset of hours and minutes; T and Z in either case. */
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})"
            + "(?:\\.(\\d+))?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))");
    private static final int NANO_DIGITS = 9;
    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private RequestInstants() {
    }

    /** For a bound that includes the instant: an entry at or before it. */
    static Instant roundedDown(String parameter, String text) {
        return withinYears(parameter, parse(parameter, text).toNanosecond().truncatedTo(ChronoUnit.MICROS));
    }

    /** For a period's bounds, [from, to): an entry at or after {@code from}, and before {@code to}. */
    static Instant roundedUp(String parameter, String text) {
        Named named = parse(parameter, text);
        Instant down = named.toNanosecond().truncatedTo(ChronoUnit.MICROS);
        return withinYears(parameter, down.equals(named.toNanosecond()) && !named.beyondNanosecond() ? down
                : down.plus(1, ChronoUnit.MICROS));
    }

    /**
     * Years 0001 to 9999 in UTC too, after the offset and the rounding: an answer and its Link header name the instant
     * as read, which must be RFC 3339 again.
     */
    private static Instant withinYears(String parameter, Instant read) {
        if (read.isBefore(FIRST) || read.isAfter(LAST)) {
            throw malformed(parameter);
        }
        return read;
    }

    /** Whether the instant {@code earlier} names is before the one {@code later} names, to the nanosecond. */
    static boolean before(String earlier, String later) {
        Named first = parse("from", earlier);
        Named second = parse("to", later);
        int order = first.toNanosecond().compareTo(second.toNanosecond());
        return order < 0 || order == 0 && !first.beyondNanosecond() && second.beyondNanosecond();
    }

    /** The instant named, rounded down to the nanosecond, and whether the text named a later one within it. */
    private record Named(Instant toNanosecond, boolean beyondNanosecond) {
    }

    /** A leap second, 23:59:60, is read as the day's last nanosecond and beyond. Years 0001 to 9999, as written. */
    private static Named parse(String parameter, String text) {
        Matcher parts = DATE_TIME.matcher(text);
        if (parts.matches()) {
            try {
                LocalDate date = LocalDate.parse(parts.group(1));
                int second = Integer.parseInt(parts.group(4));
                boolean leap = second == 60;
                String fraction = parts.group(5) == null ? "" : parts.group(5);
                LocalTime time = LocalTime.of(Integer.parseInt(parts.group(2)), Integer.parseInt(parts.group(3)),
                        leap ? 59 : second, leap ? 999_999_999 : nanos(fraction));
                int offsetHours = parts.group(6) == null ? 0 : Integer.parseInt(parts.group(7));
                int offsetMinutes = parts.group(6) == null ? 0 : Integer.parseInt(parts.group(8));
                if (date.getYear() >= 1 && offsetHours <= 23 && offsetMinutes <= 59) {
                    long offsetSeconds = (offsetHours * 3600L + offsetMinutes * 60L)
                            * ("-".equals(parts.group(6)) ? -1 : 1);
                    return new Named(date.atTime(time).toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds),
                            leap || fraction.length() > NANO_DIGITS && !fraction.substring(NANO_DIGITS).matches("0+"));
                }
            } catch (DateTimeException outOfRange) {
                // A month, day, hour, minute or second out of its range: answered below.
            }
        }
        throw malformed(parameter);
    }

    private static InvalidFieldException malformed(String parameter) {
        return new InvalidFieldException(parameter, "must be an RFC 3339 instant such as 2026-11-30T23:59:59Z "
                + "(an offset's + sent as %2B), from year 0001 to 9999");
    }

    private static int nanos(String fraction) {
        String digits = fraction.length() > NANO_DIGITS ? fraction.substring(0, NANO_DIGITS) : fraction;
        return Integer.parseInt(digits + "0".repeat(NANO_DIGITS - digits.length()));
    }
}
