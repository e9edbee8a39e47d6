package org.acme.bank.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.stream.IntStream;

/** Free TCP ports for servers the tests start themselves. */
final class Ports {

    private Ports() {
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first of {@code count} consecutive ports that are all free now, for servers numbered from a base port. */
    static int freeRun(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = free();
            if (base + count <= 65535 && IntStream.range(1, count).allMatch(i -> isFree(base + i))) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
