package org.acme.bank.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that can break a transfer's COMMIT: armed, it waits for a connection to insert a
 * ledger row (or to send another statement it is told of), and then either forwards that transaction's COMMIT to the
 * server, lets the server commit, and breaks the connection before the answer reaches the service (the one fault after
 * which the service cannot know by itself whether the transfer happened), or breaks the connection instead of
 * forwarding the COMMIT (so the server rolls back). With the cut it can break every other connection too, as a
 * database restart does, or go dark (every connection broken, new ones refused) until healed.
 * It reads SQL text off the wire, so the service must connect with {@code prepareThreshold=0} (the driver otherwise
 * sends a statement's text only until it has prepared it on the server).
 */
public final class CommitCuttingProxy implements AutoCloseable {

    private static final String LEDGER_INSERT = "insert into transfer ";
    /** The service commits with a statement of its own (ConfirmedCommit), in lower case like all its SQL. */
    private static final byte[] COMMIT = "commit".getBytes(StandardCharsets.US_ASCII);
    /** Time for the server to finish the COMMIT it received before the connection is broken. */
    private static final long SERVER_COMMIT_MILLIS = 300;

    private final ServerSocket listener;
    private final int serverPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** What happens to the next transfer's COMMIT. */
    public enum Cut {
        /** The server commits; the answer is lost. */
        ANSWER_LOST,
        /** The server commits; the answer is lost, and so is every other connection, as in a restart. */
        ANSWER_LOST_WITH_EVERY_CONNECTION,
        /** The server commits; the answer is lost, and every connection with it until {@link #heal}. */
        ANSWER_LOST_THEN_DARK,
        /**
         * The COMMIT (and the statement sent with it, if any) never reaches the server, which rolls the transaction
         * back when the connection breaks.
         */
        COMMIT_LOST
    }

    private volatile Cut armed;
    /** The statement after which the armed cut breaks its transaction's COMMIT. */
    private volatile byte[] armedAfter;
    private volatile boolean dark;
    /** Statements relayed to the server that read the ledger ({@code ... from transfer ...}). */
    private final AtomicInteger ledgerReads = new AtomicInteger();
    private static final byte[] LEDGER_READ = "from transfer ".getBytes(StandardCharsets.US_ASCII);

    private CommitCuttingProxy(ServerSocket listener, int serverPort) {
        this.listener = listener;
        this.serverPort = serverPort;
    }

    public static CommitCuttingProxy start(int serverPort) throws IOException {
        CommitCuttingProxy proxy = new CommitCuttingProxy(new ServerSocket(0), serverPort);
        Sockets.daemon("proxy-accept", proxy::acceptConnections);
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Breaks the next transfer's COMMIT as {@code cut} says. */
    public void cutNextTransferCommit(Cut cut) {
        cutNextCommitAfter(LEDGER_INSERT, cut);
    }

    /** Breaks, as {@code cut} says, the COMMIT of the next transaction that sends a statement beginning so. */
    public void cutNextCommitAfter(String statement, Cut cut) {
        armedAfter = statement.getBytes(StandardCharsets.US_ASCII);
        armed = cut;
    }

    public void heal() {
        dark = false;
    }

    /** How many messages relayed so far read the ledger: the service's look-ups after a lost COMMIT among them. */
    public int ledgerReads() {
        return ledgerReads.get();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        breakAll();
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            try {
                Socket service = listener.accept();
                if (dark) {
                    service.close();
                    continue;
                }
                Socket server = new Socket("localhost", serverPort);
                open.add(service);
                open.add(server);
                Connection connection = new Connection(service, server);
                Sockets.daemon("proxy-to-server", connection::relayToServer);
                Sockets.daemon("proxy-to-service", connection::relayToService);
            } catch (IOException closedOrRefused) {
                // The listener was closed, or the server refused: the service sees a broken connection either way.
            }
        }
    }

    private void breakAll() {
        for (Socket socket : open) {
            Sockets.closeQuietly(socket);
        }
        open.clear();
    }


    private static boolean contains(byte[] buffer, int length, byte[] text) {
        outer:
        for (int i = 0; i + text.length <= length; i++) {
            for (int j = 0; j < text.length; j++) {
                if (buffer[i + j] != text[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** One service connection and its server connection. */
    private final class Connection {

        private final Socket service;
        private final Socket server;
        private boolean cutting;
        private volatile boolean answersLost;

        Connection(Socket service, Socket server) {
            this.service = service;
            this.server = server;
        }

        void relayToServer() {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = service.getInputStream(); OutputStream out = server.getOutputStream()) {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    cutting |= armed != null && contains(buffer, read, armedAfter);
                    if (contains(buffer, read, LEDGER_READ)) {
                        ledgerReads.incrementAndGet();
                    }
                    Cut cut = cutting && contains(buffer, read, COMMIT) ? armed : null;
                    if (cut == null) {
                        out.write(buffer, 0, read);
                        out.flush();
                        continue;
                    }
                    armed = null;
                    answersLost = true;
                    if (cut != Cut.COMMIT_LOST) {
                        out.write(buffer, 0, read);
                        out.flush();
                        Thread.sleep(SERVER_COMMIT_MILLIS);
                    }
                    dark = cut == Cut.ANSWER_LOST_THEN_DARK;
                    if (cut == Cut.ANSWER_LOST_WITH_EVERY_CONNECTION || cut == Cut.ANSWER_LOST_THEN_DARK) {
                        breakAll();
                    }
                    Sockets.closeQuietly(service);
                    Sockets.closeQuietly(server);
                    return;
                }
            } catch (IOException | InterruptedException broken) {
                Sockets.closeQuietly(service);
                Sockets.closeQuietly(server);
            }
        }

        void relayToService() {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = server.getInputStream(); OutputStream out = service.getOutputStream()) {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    // Dropped, not closed: the connection must stay up until the server has finished the COMMIT.
                    if (!answersLost) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException broken) {
                Sockets.closeQuietly(service);
                Sockets.closeQuietly(server);
            }
        }
    }
}
