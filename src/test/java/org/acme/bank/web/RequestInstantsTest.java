package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An instant a client names is RFC 3339's date-time, read to the ledger's microsecond in the direction asked. */
class RequestInstantsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2026-12-02T05:03:13Z, 2026-12-02T05:03:13Z, 2026-12-02T05:03:13Z",
            "2026-12-02T05:03:13.019141Z, 2026-12-02T05:03:13.019141Z, 2026-12-02T05:03:13.019141Z",
            "2026-12-02T05:03:13.019140999Z, 2026-12-02T05:03:13.019140Z, 2026-12-02T05:03:13.019141Z",
            "2026-12-02T05:03:13.0191410000000Z, 2026-12-02T05:03:13.019141Z, 2026-12-02T05:03:13.019141Z",
            "2026-12-02T05:03:13.0191410000001Z, 2026-12-02T05:03:13.019141Z, 2026-12-02T05:03:13.019142Z",
            "2026-12-02t05:03:13.5z, 2026-12-02T05:03:13.500Z, 2026-12-02T05:03:13.500Z",
            "2026-12-02T05:03:13+02:00, 2026-12-02T03:03:13Z, 2026-12-02T03:03:13Z",
            "2026-12-02T05:03:13-00:30, 2026-12-02T05:33:13Z, 2026-12-02T05:33:13Z",
            "2026-12-02T05:03:13+23:59, 2026-12-01T05:04:13Z, 2026-12-01T05:04:13Z",
            "2016-12-31T23:59:60Z, 2016-12-31T23:59:59.999999Z, 2017-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z"
    })
    void anInstantIsReadToTheMicrosecondDownForAsOfUpForAPeriod(String named, String down, String up) {
        assertEquals(Instant.parse(down), RequestInstants.roundedDown("asOf", named));
        assertEquals(Instant.parse(up), RequestInstants.roundedUp("from", named));
    }

    @ParameterizedTest(name = "{0} before {1}: {2}")
    @CsvSource({
            "2026-12-02T05:03:13.000000001Z, 2026-12-02T05:03:13.000000002Z, true",
            "2026-12-02T05:03:13Z, 2026-12-02T05:03:13.0000000001Z, true",
            "2026-12-02T05:03:13+01:00, 2026-12-02T04:03:13.5Z, true",
            "2026-12-02T05:03:13Z, 2026-12-02T05:03:13.000Z, false",
            "2026-12-02T05:03:13.0000000001Z, 2026-12-02T05:03:13Z, false",
            "2026-12-02T05:03:14Z, 2026-12-02T05:03:13Z, false"
    })
    void aPeriodsOrderIsThatOfTheInstantsAsNamed(String from, String to, boolean before) {
        assertEquals(before, RequestInstants.before(from, to));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-12-02T05:10Z", "2026-12-02T05:10:00.Z", "2026-12-02T05:10:00+00",
            "2026-12-02T05:10:00", "2026-12-02 05:10:00Z", "2026-12-02T05:10:00+0000", "2026-12-02",
            "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02T05:60:00Z",
            "2026-12-02T05:10:61Z", "2026-12-02T05:10:00+24:00", "2026-12-02T05:10:00+05:60",
            "0000-12-31T23:59:59Z", "+12026-12-02T05:10:00Z", "2026-12-02T05:10:00Z ", "２０２６-12-02T05:10:00Z",
            "1764652213", ""})
    void anythingElseIsRefusedNamingTheParameter(String named) {
        InvalidFieldException refused = assertThrows(InvalidFieldException.class,
                () -> RequestInstants.roundedDown("to", named));
        assertEquals("to", refused.field());
    }

    /** Read in UTC and rounded, an instant must still be one RFC 3339 can write: answers and Link headers name it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:60Z", "9999-12-31T23:59:59-00:01",
            "0001-01-01T00:00:00+00:01"})
    void anInstantOutsideYears1To9999OnceReadIsRefused(String named) {
        InvalidFieldException refused = assertThrows(InvalidFieldException.class,
                () -> RequestInstants.roundedUp("to", named));
        assertEquals("to", refused.field());
    }
}
