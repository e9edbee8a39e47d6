package org.acme.bank.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Generates hostile requests from a seed: malformed and truncated JSON, deep nesting, huge numbers and strings,
 * unicode, wrong types, duplicate keys, negative zero, exponents, oversized bodies, odd headers, paths and methods.
 * The same seed gives the same requests, so a failure can be replayed with {@code -Dhostile.seed=...}.
 */
final class HostileRequests {

    /** One generated request, printable for a failure message. */
    record Request(String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers + (chunked ? " chunked" : "") + " body(" + body.length
                    + " bytes)="
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    private static final List<String> STRATEGIES = List.of("pessimistic", "optimistic", "naive", "PESSIMISTIC", "",
            "%00", "%2e%2e", "..%2F..%2Faudit", "pess%C3%AFmistic", "%F0%9F%92%B8", "x".repeat(600), "a;b", "a%20b");
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "-0", "-0.0", "0.0", "-0.00", "1.5", "1e2",
            "1E+2", "1e-2", "1E-400", "1e400", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "0.001", "1.005", "0.01", "9999999999999999.99", "99999999999999999.99",
            "1e15", "1e19", "0.1e1", "2.50", "1" + "0".repeat(1000), "0." + "0".repeat(1000) + "1",
            "1e2147483648", "-1e-2147483648");
    private static final List<String> INVALID_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "01", ".5", "1.",
            "+1", "0x10", "1_000", "1e", "--1", "1..2");
    private static final List<String> OTHER_VALUES = List.of("true", "false", "null", "[]", "{}", "[1]",
            "{\"value\":1}", "\"\"", "\"1\"", "\"10.00\"", "\"\\u0000\"", "\"\uD83D\uDCB8\"", "\"\\uD800\"",
            "\"caf\u00e9\"", "\"\u202Eevil\"", "[[[[[]]]]]");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json",
            "application/json; charset=UTF-8", "application/json; charset=UTF-16", "application/json; charset=bogus",
            "text/plain", "application/xml", "application/problem+json", "*/*", "application/json;;", "garbage",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded");
    private static final List<String> ACCEPTS = List.of("application/json", "*/*", "application/xml", "text/html",
            "application/problem+json", "image/png;q=0.1");
    private static final List<String> METHODS = List.of("GET", "PUT", "DELETE", "PATCH", "POST");

    private final SplittableRandom random;
    private final long from;
    private final long to;
    private final int maxBodyBytes;

    HostileRequests(long seed, long from, long to, int maxBodyBytes) {
        this.random = new SplittableRandom(seed);
        this.from = from;
        this.to = to;
        this.maxBodyBytes = maxBodyBytes;
    }

    Request next() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> transfer(mutatedFields());
            case 3 -> transfer(malformed());
            case 4 -> transfer(deeplyNested());
            case 5 -> transfer(oversized());
            case 6 -> transfer(randomBytes());
            case 7 -> account();
            case 8 -> elsewhere();
            default -> oddHeaders();
        };
    }

    private Request transfer(byte[] body) {
        return request("POST", "/transfers/" + pick(STRATEGIES), jsonHeaders(), body);
    }

    /** One request in five goes out chunked, without a declared length. */
    private Request request(String method, String target, Map<String, String> headers, byte[] body) {
        return new Request(method, target, headers, body, random.nextInt(5) == 0);
    }

    private Map<String, String> jsonHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return headers;
    }

    /** A transfer body whose fields are each valid, hostile, of the wrong type, duplicated or missing. */
    private byte[] mutatedFields() {
        StringBuilder json = new StringBuilder("{");
        appendField(json, pick(List.of("from", "from", "from", "From", "fr\u00f6m")), this::id);
        appendField(json, pick(List.of("to", "to", "to", "TO")), this::id);
        appendField(json, "amount", this::amount);
        if (random.nextInt(4) == 0) {
            appendField(json, pick(List.of("from", "to", "amount", "extra", "\u0000", "\uD83D\uDCB8")), this::anyValue);
        }
        if (json.length() > 1) {
            json.setLength(json.length() - 1);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void appendField(StringBuilder json, String name, Supplier<String> value) {
        if (random.nextInt(8) == 0) {
            return;
        }
        json.append('"').append(name.replace("\u0000", "\\u0000")).append("\":").append(value.get()).append(',');
    }

    private String id() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> String.valueOf(random.nextBoolean() ? from : to);
            case 2 -> anyValue();
            default -> pick(NUMBERS);
        };
    }

    private String amount() {
        return switch (random.nextInt(4)) {
            case 0 -> "0." + String.format("%02d", 1 + random.nextInt(99));
            case 1 -> pick(NUMBERS);
            default -> anyValue();
        };
    }

    private String anyValue() {
        return switch (random.nextInt(3)) {
            case 0 -> pick(NUMBERS);
            case 1 -> pick(INVALID_NUMBERS);
            default -> pick(OTHER_VALUES);
        };
    }

    /** A valid body cut short, doubled, commented, or wrapped in something that is not an object. */
    private byte[] malformed() {
        String valid = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":1.00}";
        String body = switch (random.nextInt(8)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            case 1 -> valid + valid;
            case 2 -> "[" + valid + "]";
            case 3 -> "\uFEFF" + valid;
            case 4 -> valid.replace(",", ", /* comment */ ");
            case 5 -> valid.replace("\"", "'");
            case 6 -> pick(List.of("", "null", "1", "\"text\"", "[]", "{", "}", "{}", "{,}", "{\"from\"}"));
            default -> valid.substring(0, valid.length() - 1) + ",}";
        };
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] deeplyNested() {
        int depth = 100 + random.nextInt(5_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(random.nextBoolean() ? depth : depth / 2);
        return ("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":1,\"extra\":" + nested + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Around the configured body limit: some just under it, some far over. */
    private byte[] oversized() {
        int length = random.nextInt(maxBodyBytes * 4);
        String filler = random.nextBoolean() ? "x" : "\u00e9";
        return ("{\"from\":" + from + ",\"to\":" + to + ",\"amount\":1,\"note\":\"" + filler.repeat(length) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(200)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private Request account() {
        String balance = random.nextBoolean() ? pick(NUMBERS) : anyValue();
        String owner = pick(List.of("\"Alice\"", "\"\"", "\"" + "o".repeat(random.nextInt(400)) + "\"", "null", "1",
                "\"\u0000\"", "\"\uD83D\uDCB8\"", "[]"));
        String body = "{\"owner\":" + owner + ",\"balance\":" + balance + "}";
        return request("POST", "/accounts", jsonHeaders(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Other methods and paths: ids that are not ids, paging that is not paging, methods a path does not take. */
    private Request elsewhere() {
        String target = pick(List.of("/accounts/" + pick(NUMBERS), "/accounts/" + pick(INVALID_NUMBERS),
                "/accounts/" + from + "/transfers?page=" + pick(NUMBERS) + "&size=" + pick(NUMBERS),
                "/transfers/" + pick(NUMBERS), "/transfers/" + pick(STRATEGIES), "/audit", "/accounts",
                "/%F0%9F%92%B8", "/accounts/%00", "/accounts?size=" + pick(INVALID_NUMBERS)));
        byte[] body = random.nextBoolean() ? new byte[0] : mutatedFields();
        return request(pick(METHODS), target, jsonHeaders(), body);
    }

    /** A valid transfer under odd content types, accept headers and idempotency keys. */
    private Request oddHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(6) > 0) {
            headers.put("Content-Type", pick(CONTENT_TYPES));
        }
        if (random.nextBoolean()) {
            headers.put("Accept", pick(ACCEPTS));
        }
        if (random.nextBoolean()) {
            headers.put("Idempotency-Key", idempotencyKey());
        }
        String body = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":0.01}";
        return request("POST", "/transfers/" + pick(List.of("pessimistic", "optimistic")), headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** Mostly visible ASCII of any length, sometimes Latin-1 letters or a tab. */
    private String idempotencyKey() {
        StringBuilder key = new StringBuilder();
        int length = random.nextInt(300);
        for (int i = 0; i < length; i++) {
            key.append(switch (random.nextInt(20)) {
                case 0 -> '\u00e9';
                case 1 -> '\t';
                case 2 -> ' ';
                default -> (char) ('!' + random.nextInt('~' - '!' + 1));
            });
        }
        return key.toString().strip();
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
