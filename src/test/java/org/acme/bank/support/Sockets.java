package org.acme.bank.support;

import java.io.IOException;
import java.net.Socket;

/** What the test proxies share: relay threads that do not keep the JVM alive, and sockets closed whatever their state. */
final class Sockets {

    private Sockets() {
    }

    static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyBroken) {
            // Nothing left to close.
        }
    }
}
