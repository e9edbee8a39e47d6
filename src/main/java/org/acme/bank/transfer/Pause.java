package org.acme.bank.transfer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The one way this package sleeps: each caller decides what an interrupt means for its transfer. */
public final class Pause {

    private Pause() {
    }

    /** Sleeps for {@code pause}; false if interrupted, with the thread's interrupt flag set again. */
    public static boolean sleep(Duration pause) {
        if (pause.isZero()) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
