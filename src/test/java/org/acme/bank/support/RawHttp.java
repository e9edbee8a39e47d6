package org.acme.bank.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a socket, so that a test can send what well-behaved clients refuse to: any bytes as
 * the body, any header value, any path. One request per connection.
 */
public final class RawHttp {

    /** The answer: status, headers with lower-case names, and the body as text. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends the body with a Content-Length, or chunked (in chunks of up to 1000 bytes) when asked. */
    public static Answer send(URI service, String method, String target, Map<String, String> headers, byte[] body,
            boolean chunked) throws IOException {
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            headers.forEach((name, value) ->
                    head.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            String framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length;
            head.writeBytes((framing + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toByteArray());
                out.write(chunked ? chunk(body) : body);
                out.flush();
            } catch (IOException refusedMidBody) {
                // A server may answer and close before reading an oversized body; its answer is still there to read.
            }
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends only a request's head, declaring a body of {@code contentLength} bytes that never comes: a server that judges
     * the declared length answers at once, and no unread body makes its closing connection reset the answer away.
     */
    public static Answer declare(URI service, String method, String target, Map<String, String> headers,
            long contentLength) throws IOException {
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static byte[] chunk(byte[] body) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (int start = 0; start < body.length; start += 1000) {
            int length = Math.min(1000, body.length - start);
            chunks.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunks.write(body, start, length);
            chunks.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return chunks.toByteArray();
    }

    private static Answer read(InputStream in) throws IOException {
        byte[] raw = in.readAllBytes();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int endOfHead = text.indexOf("\r\n\r\n");
        if (endOfHead < 0) {
            throw new IOException("No complete HTTP answer: " + text);
        }
        String[] lines = text.substring(0, endOfHead).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] payload = Arrays.copyOfRange(raw, endOfHead + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            payload = unchunk(payload);
        }
        return new Answer(status, headers, new String(payload, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int position = 0;
        while (true) {
            int endOfSize = position;
            while (chunked[endOfSize] != '\r') {
                endOfSize++;
            }
            int size = Integer.parseInt(new String(chunked, position, endOfSize - position, StandardCharsets.ISO_8859_1)
                    .split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, endOfSize + 2, size);
            position = endOfSize + 2 + size + 2;
        }
    }
}
