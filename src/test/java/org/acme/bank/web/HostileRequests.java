package org.acme.bank.web;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.acme.bank.support.Tokens;

/**
 * Hostile requests as jqwik arbitraries: malformed and truncated JSON, deep nesting, huge numbers and strings,
 * unicode, wrong types, duplicate keys, negative zero, exponents, oversized bodies, odd headers, paths and methods,
 * holds with hostile expiries and resolutions, balances and statements at hostile instants,
 * a fifth of them sent chunked. jqwik adds its own edge cases and shrinks a failing request to a simplest one.
 */
final class HostileRequests {

    /** One generated request, printable for a failure report. */
    record Request(String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {

        Request sentChunked(boolean chunked) {
            return new Request(method, target, headers, body, chunked);
        }

        /** The request with this Authorization header, or none when null. */
        Request authorized(String authorization) {
            Map<String, String> authorized = new LinkedHashMap<>(headers);
            if (authorization != null) {
                authorized.put("Authorization", authorization);
            }
            return new Request(method, target, authorized, body, chunked);
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers + (chunked ? " chunked" : "") + " body(" + body.length
                    + " bytes)=" + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final List<String> STRATEGIES = List.of("pessimistic", "optimistic", "naive", "PESSIMISTIC", "",
            "%00", "%2e%2e", "..%2F..%2Faudit", "pess%C3%AFmistic", "%F0%9F%92%B8", "x".repeat(600), "a;b", "a%20b");
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "-0", "-0.0", "0.0", "-0.00", "1.5", "1e2",
            "1E+2", "1e-2", "1E-400", "1e400", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "0.001", "1.005", "0.01", "9999999999999999.99", "99999999999999999.99",
            "1e15", "1e19", "0.1e1", "2.50", "1" + "0".repeat(1000), "0." + "0".repeat(1000) + "1",
            "1e2147483648", "-1e-2147483648", "2147483647", "2147483648", "-2147483648", "1073741824");
    private static final List<String> INVALID_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "01", ".5", "1.",
            "+1", "0x10", "1_000", "1e", "--1", "1..2");
    private static final List<String> OTHER_VALUES = List.of("true", "false", "null", "[]", "{}", "[1]",
            "{\"value\":1}", "\"\"", "\"1\"", "\"10.00\"", "\"\\u0000\"", "\"\uD83D\uDCB8\"", "\"\\uD800\"",
            "\"caf\u00e9\"", "\"\u202Eevil\"", "[[[[[]]]]]");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=UTF-8",
            "application/json; charset=UTF-16", "application/json; charset=bogus", "text/plain", "application/xml",
            "application/problem+json", "*/*", "application/json;;", "garbage", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded");
    private static final List<String> ACCEPTS = List.of("application/json", "*/*", "application/xml", "text/html",
            "application/problem+json", "image/png;q=0.1");
    private static final List<String> DURATIONS = List.of("60", "1", "0", "-1", "1.5", "2592000", "2592001",
            "9223372036854775807", "-9223372036854775808", "1e3", "\"PT60S\"", "\"PT0S\"", "\"PT-1S\"",
            "\"PT0.5S\"", "\"PT1.0000001S\"", "\"P30D\"", "\"P31D\"", "\"PT9223372036854775807S\"",
            "\"P106751991167300D\"", "\"60\"", "\"1 minute\"", "\"P\"", "\"pt60s\"", "\"-PT60S\"");
    /** Instants in and out of RFC 3339, of the account's life and of what Java or PostgreSQL can hold. */
    private static final List<String> INSTANTS = List.of("2026-12-01T00:00:00Z", "2026-12-01T00:00:00.123456789Z",
            "2026-12-01T00:00:00%2B14:00", "2026-12-01T00:00:00-12:00", "2026-12-01T00:00:00+01:00",
            "2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59-23:59", "-300000-01-01T00:00:00Z", "%2B300000-01-01T00:00:00Z",
            "%2B999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01",
            "2026-12-01T00:00:00", "1733000000", "yesterday", "", "%00", "2026-12-01T24:00:00Z",
            "2026-12-31T23:59:60Z");

    private final long from;
    private final long to;
    private final String owner;
    private final int maxBodyBytes;

    /** Requests on two accounts of {@code owner}, mostly with the owner's token. */
    HostileRequests(long from, long to, String owner, int maxBodyBytes) {
        this.from = from;
        this.to = to;
        this.owner = owner;
        this.maxBodyBytes = maxBodyBytes;
    }

    Arbitrary<Request> all() {
        Arbitrary<Request> request = Arbitraries.frequencyOf(
                Tuple.of(3, transfer(mutatedFields().map(HostileRequests::utf8))),
                Tuple.of(1, transfer(malformed().map(HostileRequests::utf8))),
                Tuple.of(1, transfer(deeplyNested().map(HostileRequests::utf8))),
                Tuple.of(1, transfer(oversized().map(HostileRequests::utf8))),
                Tuple.of(1, transfer(Arbitraries.bytes().array(byte[].class).ofMaxSize(200))),
                Tuple.of(2, transaction()),
                Tuple.of(2, bulk()),
                Tuple.of(2, hold()),
                Tuple.of(2, holdResolution()),
                Tuple.of(2, history()),
                Tuple.of(1, account()),
                Tuple.of(1, elsewhere()),
                Tuple.of(1, oddHeaders()));
        return Combinators.combine(request, Arbitraries.integers().between(0, 4), authorization())
                .as((generated, oneInFive, authorization) -> generated.sentChunked(oneInFive == 0)
                        .authorized(authorization));
    }

    /**
     * Mostly the owner's token, so that the bodies reach the service; else a defective token, another customer's, a
     * teller's, none, or an Authorization header of another scheme or shape.
     */
    private Arbitrary<String> authorization() {
        List<String> hostile = new ArrayList<>();
        Tokens.defective(owner).values().forEach(token -> hostile.add("Bearer " + token));
        hostile.addAll(List.of("Bearer " + Tokens.customer("Mallory"), "Bearer " + Tokens.teller("Tess"),
                "Bearer", "Bearer ", "bearer " + Tokens.customer(owner), "Basic b3duZXI6b3duZXI=",
                "Bearer " + Tokens.customer(owner) + " extra", "Bearer \u00e9", "Bearer " + "x".repeat(8000)));
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("Bearer " + Tokens.customer(owner))),
                Tuple.of(3, Arbitraries.of(hostile)),
                Tuple.of(1, Arbitraries.just((String) null)));
    }

    private Arbitrary<Request> transfer(Arbitrary<byte[]> body) {
        return Combinators.combine(Arbitraries.of(STRATEGIES), body)
                .as((strategy, bytes) -> new Request("POST", "/transfers/" + strategy, JSON, bytes, false));
    }

    /**
     * A transaction whose legs are hostile transfer bodies, from none to more than the maximum, or a body whose legs are
     * not a list of objects.
     */
    private Arbitrary<Request> transaction() {
        Arbitrary<String> legs = Arbitraries.oneOf(
                validOrMutated().list().ofMaxSize(20).map(list -> "{\"legs\":[" + String.join(",", list) + "]}"),
                anyValue().map(value -> "{\"legs\":" + value + "}"),
                malformed().map(leg -> "{\"legs\":[" + leg + "," + leg + "]}"));
        return Combinators.combine(Arbitraries.of(STRATEGIES), legs).as((strategy, body) -> new Request("POST",
                "/transactions/" + strategy, JSON, utf8(body), false));
    }

    /**
     * A bulk whose items are hostile transfer bodies (some with hostile or repeated idempotency keys, some not objects),
     * from none to just over the maximum, or one that is not a list, or one far over its body limit.
     */
    private Arbitrary<Request> bulk() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("same", "other", "", " ", "\u0000"),
                Arbitraries.strings().all().ofMaxLength(300));
        Arbitrary<String> item = Arbitraries.frequencyOf(
                Tuple.of(4, validOrMutated()),
                Tuple.of(2, Combinators.combine(validOrMutated(), key).as((body, k) -> body.equals("{}") ? body
                        : body.substring(0, body.length() - 1) + (body.length() > 2 ? "," : "") + "\"idempotencyKey\":"
                                + jsonString(k) + "}")),
                Tuple.of(1, anyValue()));
        Arbitrary<String> items = Arbitraries.oneOf(
                item.list().ofMaxSize(30).map(list -> String.join(",", list)),
                Combinators.combine(item, Arbitraries.integers().between(995, 1005))
                        .as((one, count) -> String.join(",", Collections.nCopies(count, one))));
        Arbitrary<String> body = Arbitraries.frequencyOf(
                Tuple.of(8, items.map(list -> "{\"transfers\":[" + list + "]}")),
                Tuple.of(1, anyValue().map(value -> "{\"transfers\":" + value + "}")),
                Tuple.of(1, malformed()),
                Tuple.of(1, Arbitraries.integers().between(1000 * 1024, 1100 * 1024)
                        .map(length -> "{\"transfers\":[" + " ".repeat(length) + "]}")));
        return body.map(text -> new Request("POST", "/transfers/bulk", JSON, utf8(text), false));
    }

    /**
     * A hold: a hostile transfer body with a hostile {@code expiresIn} (or none), placed by any strategy name.
     */
    private Arbitrary<Request> hold() {
        Arbitrary<String> expiresIn = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(DURATIONS)),
                Tuple.of(1, anyValue()),
                Tuple.of(1, Arbitraries.just("")));
        Arbitrary<String> body = Combinators.combine(validOrMutated(), expiresIn).as((transfer, expiry) ->
                expiry.isEmpty() || transfer.equals("{}") ? transfer
                        : transfer.substring(0, transfer.length() - 1) + ",\"expiresIn\":" + expiry + "}");
        Arbitrary<String> strategy = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("pessimistic", "optimistic")),
                Tuple.of(1, Arbitraries.of(STRATEGIES)),
                Tuple.of(1, Arbitraries.just("batched")));
        return Combinators.combine(strategy, Arbitraries.oneOf(body, malformed()))
                .as((name, text) -> new Request("POST", "/holds/" + name, JSON, utf8(text), false));
    }

    /**
     * A post or void of a hold that may exist (those the run placed are numbered from 1), may be resolved already, or
     * is not a hold id at all; a posting's body optional, its amount hostile.
     */
    private Arbitrary<Request> holdResolution() {
        Arbitrary<String> hold = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(1, 40).map(String::valueOf)),
                Tuple.of(1, number()),
                Tuple.of(1, Arbitraries.of(INVALID_NUMBERS)));
        Arbitrary<String> body = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just("")),
                Tuple.of(2, amount().map(amount -> "{\"amount\":" + amount + "}")),
                Tuple.of(1, malformed()),
                Tuple.of(1, anyValue()));
        return Combinators.combine(Arbitraries.of("post", "void", "cancel", ""), hold, body)
                .as((action, id, text) -> new Request("POST", "/holds/" + id + (action.isEmpty() ? "" : "/" + action),
                        JSON, utf8(text), false));
    }

    /**
     * Balances as of an instant and statements of a period, with hostile instants, paging and Accept (CSV among them),
     * and holds read by id.
     */
    private Arbitrary<Request> history() {
        Arbitrary<String> instant = Arbitraries.oneOf(Arbitraries.of(INSTANTS),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30)
                        .map(text -> URLEncoder.encode(text, StandardCharsets.UTF_8)));
        Arbitrary<String> account = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(from, to).map(String::valueOf)),
                Tuple.of(1, number()));
        Arbitrary<String> target = Arbitraries.oneOf(
                Combinators.combine(account, instant.injectNull(0.2))
                        .as((id, at) -> "/accounts/" + id + "/balance" + (at == null ? "" : "?asOf=" + at)),
                Combinators.combine(account, instant.injectNull(0.3), instant.injectNull(0.3), number().injectNull(0.5),
                                number().injectNull(0.5))
                        .as((id, start, end, after, size) -> "/accounts/" + id + "/statement?x=1"
                                + (start == null ? "" : "&from=" + start) + (end == null ? "" : "&to=" + end)
                                + (after == null ? "" : "&after=" + after) + (size == null ? "" : "&size=" + size)),
                Arbitraries.longs().between(1, 40).map(id -> "/holds/" + id));
        Arbitrary<String> accept = Arbitraries.of("application/json", "text/csv", "text/csv; charset=UTF-8", "*/*",
                "application/xml").injectNull(0.3);
        return Combinators.combine(target, accept).as((path, type) -> new Request("GET", path,
                type == null ? Map.of() : Map.of("Accept", type), new byte[0], false));
    }

    /** The text as a JSON string, quotes and backslashes escaped; control characters stay raw (hostile too). */
    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A valid transfer body half the time, else one with hostile fields. */
    private Arbitrary<String> validOrMutated() {
        return Arbitraries.oneOf(Arbitraries.of("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":0.01}",
                "{\"from\":" + to + ",\"to\":" + from + ",\"amount\":\"0.02\"}"), mutatedFields());
    }

    /** A transfer body whose fields are each valid, hostile, of the wrong type, duplicated or missing. */
    private Arbitrary<String> mutatedFields() {
        return Combinators.combine(
                        field(Arbitraries.of("from", "from", "from", "From", "fr\u00f6m"), id()),
                        field(Arbitraries.of("to", "to", "to", "TO"), id()),
                        field(Arbitraries.just("amount"), amount()),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, field(Arbitraries.of(
                                "from", "to", "amount", "extra", "\\u0000", "\uD83D\uDCB8"), anyValue()))))
                .as((first, second, third, fourth) -> Stream.of(first, second, third, fourth)
                        .filter(field -> !field.isEmpty())
                        .collect(Collectors.joining(",", "{", "}")));
    }

    /** {@code "name":value}, or nothing at all one time in eight. */
    private static Arbitrary<String> field(Arbitrary<String> name, Arbitrary<String> value) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(7, Combinators.combine(name, value).as((n, v) -> "\"" + n + "\":" + v)));
    }

    private Arbitrary<String> id() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(from, to).map(String::valueOf)),
                Tuple.of(1, number()),
                Tuple.of(1, anyValue()));
    }

    /** Money as a number or as a numeric string, the two forms the service accepts. */
    private static Arbitrary<String> amount() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, 99).map(cents -> String.format("0.%02d", cents))),
                Tuple.of(1, number()),
                Tuple.of(1, scientific().map(number -> "\"" + number + "\"")),
                Tuple.of(1, anyValue()));
    }

    private static Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.of(NUMBERS),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigDecimals().map(BigDecimal::toString),
                Arbitraries.doubles().map(String::valueOf),
                scientific());
    }

    /**
     * Numbers with an exponent anywhere in and just beyond the range a BigDecimal's scale can hold, both signs, where
     * arithmetic on precision and scale in an {@code int} overflows.
     */
    private static Arbitrary<String> scientific() {
        Arbitrary<String> mantissa = Arbitraries.of("1", "-1", "9", "0.5", "-0.01", "12.34", "0", "1.00", "999999");
        Arbitrary<Long> exponent = Arbitraries.oneOf(
                Arbitraries.longs().between(-2147483650L, 2147483650L),
                Arbitraries.longs().between(-20, 20),
                Arbitraries.of(2147483647L, -2147483647L, 2147483648L, -2147483648L, 2147483646L, -2147483646L,
                        2147483645L, 1073741824L, -1073741824L, 9223372036854775807L));
        return Combinators.combine(mantissa, Arbitraries.of("e", "E", "e+"), exponent)
                .as((digits, e, power) -> digits + (power < 0 ? "e" : e) + power);
    }

    private static Arbitrary<String> anyValue() {
        return Arbitraries.oneOf(
                number(),
                Arbitraries.of(INVALID_NUMBERS),
                Arbitraries.of(OTHER_VALUES),
                Arbitraries.strings().all().ofMaxLength(40).map(text -> "\"" + text + "\""));
    }

    /** A valid body cut short, doubled, commented, or wrapped in something that is not an object. */
    private Arbitrary<String> malformed() {
        String valid = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":1.00}";
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, valid.length() - 1).map(length -> valid.substring(0, length)),
                Arbitraries.of(valid + valid, "[" + valid + "]", "\uFEFF" + valid,
                        valid.replace(",", ", /* comment */ "), valid.replace("\"", "'"),
                        valid.substring(0, valid.length() - 1) + ",}",
                        "", "null", "1", "\"text\"", "[]", "{", "}", "{}", "{,}", "{\"from\"}"));
    }

    private Arbitrary<String> deeplyNested() {
        return Combinators.combine(Arbitraries.integers().between(1, 5_000), Arbitraries.of("[", "{\"a\":"),
                        Arbitraries.of(true, false))
                .as((depth, open, closed) -> {
                    String close = open.equals("[") ? "]" : "}";
                    return "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":1,\"extra\":" + open.repeat(depth)
                            + "1" + close.repeat(closed ? depth : depth / 2) + "}";
                });
    }

    /** Around the configured body limit: some under it, most over it. */
    private Arbitrary<String> oversized() {
        return Combinators.combine(Arbitraries.integers().between(0, maxBodyBytes * 4), Arbitraries.of("x", "\u00e9"))
                .as((length, filler) -> "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":1,\"note\":\""
                        + filler.repeat(length) + "\"}");
    }

    private static Arbitrary<Request> account() {
        Arbitrary<String> owner = Arbitraries.oneOf(
                Arbitraries.of("\"Alice\"", "\"\"", "null", "1", "\"\\u0000\"", "[]"),
                Arbitraries.strings().all().ofMaxLength(400).map(text -> "\"" + text + "\""));
        Arbitrary<String> balance = Arbitraries.oneOf(number(), anyValue());
        return Combinators.combine(owner, balance).as((name, money) -> new Request("POST", "/accounts", JSON,
                utf8("{\"owner\":" + name + ",\"balance\":" + money + "}"), false));
    }

    /** Other methods and paths: ids that are not ids, paging that is not paging, methods a path does not take. */
    private Arbitrary<Request> elsewhere() {
        Arbitrary<String> target = Arbitraries.oneOf(
                number().map(id -> "/accounts/" + id),
                Arbitraries.of(INVALID_NUMBERS).map(id -> "/accounts/" + id),
                Combinators.combine(number(), number())
                        .as((page, size) -> "/accounts/" + from + "/transfers?page=" + page + "&size=" + size),
                Combinators.combine(Arbitraries.of("/accounts", "/accounts/" + from + "/transfers"),
                                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().between(1, 1000),
                                number().injectNull(0.5))
                        .as((path, page, size, before) -> path + "?page=" + page + "&size=" + size
                                + (before == null ? "" : "&before=" + before)),
                number().map(id -> "/transfers/" + id),
                Arbitraries.of(STRATEGIES).map(strategy -> "/transfers/" + strategy),
                Arbitraries.of("/audit", "/accounts", "/%F0%9F%92%B8", "/accounts/%00", "/accounts?size=1e"));
        Arbitrary<byte[]> body = Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                mutatedFields().map(HostileRequests::utf8));
        return Combinators.combine(Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "POST"), target, body)
                .as((method, path, bytes) -> new Request(method, path, JSON, bytes, false));
    }

    /** A valid transfer under odd content types, accept headers and idempotency keys. */
    private Arbitrary<Request> oddHeaders() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange('!', '~').withChars('\u00e9', '\t', ' ')
                .ofMaxLength(300).map(String::strip);
        return Combinators.combine(Arbitraries.of(CONTENT_TYPES).injectNull(0.15),
                        Arbitraries.of(ACCEPTS).injectNull(0.5), key.injectNull(0.5),
                        Arbitraries.of("pessimistic", "optimistic"))
                .as((contentType, accept, idempotencyKey, strategy) -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    if (contentType != null) {
                        headers.put("Content-Type", contentType);
                    }
                    if (accept != null) {
                        headers.put("Accept", accept);
                    }
                    if (idempotencyKey != null) {
                        headers.put("Idempotency-Key", idempotencyKey);
                    }
                    return new Request("POST", "/transfers/" + strategy, headers,
                            utf8("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":0.01}"), false);
                });
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
