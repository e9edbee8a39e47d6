package org.acme.bank.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy in front of PostgreSQL that reads the service's side of the wire protocol and counts what a request
 * costs: round trips and statements. The driver waits for the server at each Sync, after which it has sent everything
 * it pipelined (a JDBC batch, or the simple-query BEGIN it sends ahead of a transaction's first statement), so a round
 * trip is a Sync, or a simple Query that nothing pipelined follows; a statement is an Execute or a simple Query. With
 * {@code prepareThreshold=0} on the service's JDBC URL every statement carries its SQL text, which is kept, grouped by
 * round trip, for the report.
 */
public final class WireCounter implements AutoCloseable {

    /** What the service sent since the last {@link #reset}: each round trip as the statements it carried. */
    public record Count(int roundTrips, int statements, List<List<String>> sql) {

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(roundTrips + " round trips, " + statements + " statements:");
            sql.forEach(trip -> text.append("\n    ").append(String.join("; ", trip)));
            return text.toString();
        }
    }

    private static final int PROTOCOL_3 = 196608;

    private final ServerSocket listener;
    private final int serverPort;
    private int roundTrips;
    private int statements;
    private final List<List<String>> sql = new ArrayList<>();
    private List<String> trip = new ArrayList<>();

    private WireCounter(ServerSocket listener, int serverPort) {
        this.listener = listener;
        this.serverPort = serverPort;
    }

    public static WireCounter start(int serverPort) throws IOException {
        WireCounter counter = new WireCounter(new ServerSocket(0), serverPort);
        Sockets.daemon("wire-counter", counter::acceptConnections);
        return counter;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public synchronized void reset() {
        roundTrips = 0;
        statements = 0;
        sql.clear();
        trip = new ArrayList<>();
    }

    public synchronized Count count() {
        return new Count(roundTrips, statements, List.copyOf(sql));
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            try {
                Socket service = listener.accept();
                Socket server = new Socket("localhost", serverPort);
                ClientMessages messages = new ClientMessages();
                Sockets.daemon("wire-counter", () -> relay(service, server, messages));
                Sockets.daemon("wire-counter", () -> relay(server, service, null));
            } catch (IOException closed) {
                // The listener was closed.
            }
        }
    }

    private static void relay(Socket from, Socket to, ClientMessages messages) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                if (messages != null) {
                    messages.feed(buffer, read);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException broken) {
            // Either side went away; the other one follows.
        } finally {
            Sockets.closeQuietly(from);
            Sockets.closeQuietly(to);
        }
    }

    /** One message of a connection; {@code afterSimpleQuery} when the one before it was a simple Query. */
    private synchronized void message(byte type, byte[] body, boolean afterSimpleQuery) {
        boolean pipelined = type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'S' || type == 'C'
                || type == 'H';
        if (afterSimpleQuery && !pipelined) {
            endOfTrip();
        }
        switch (type) {
            case 'S' -> endOfTrip();
            case 'E' -> statements++;
            case 'Q' -> {
                statements++;
                trip.add(cString(body, 0));
            }
            case 'P' -> trip.add(cString(body, cStringEnd(body, 0) + 1));
            default -> {
                // Bind, Describe, Close, Flush, password... carry no statement and no wait of their own.
            }
        }
    }

    private void endOfTrip() {
        roundTrips++;
        sql.add(List.copyOf(trip));
        trip = new ArrayList<>();
    }

    /** The service's messages, framed: the start-up messages have no type byte, every later one has. */
    private final class ClientMessages {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean started;
        private boolean afterSimpleQuery;

        void feed(byte[] bytes, int length) {
            pending.write(bytes, 0, length);
            ByteBuffer buffer = ByteBuffer.wrap(pending.toByteArray());
            while (true) {
                int header = started ? 5 : 8;
                if (buffer.remaining() < header) {
                    break;
                }
                buffer.mark();
                byte type = started ? buffer.get() : 0;
                int size = buffer.getInt();
                int bodyLength = size - 4;
                if (buffer.remaining() < bodyLength) {
                    buffer.reset();
                    break;
                }
                byte[] body = new byte[bodyLength];
                buffer.get(body);
                if (started) {
                    message(type, body, afterSimpleQuery);
                    afterSimpleQuery = type == 'Q';
                } else {
                    // SSL and GSS encryption requests come before the start-up message, which names protocol 3.0.
                    started = ByteBuffer.wrap(body).getInt() == PROTOCOL_3;
                }
            }
            byte[] rest = new byte[buffer.remaining()];
            buffer.get(rest);
            pending.reset();
            pending.write(rest, 0, rest.length);
        }
    }

    private static int cStringEnd(byte[] bytes, int from) {
        int end = from;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return end;
    }

    private static String cString(byte[] bytes, int from) {
        return new String(bytes, from, cStringEnd(bytes, from) - from, StandardCharsets.UTF_8).strip();
    }
}
