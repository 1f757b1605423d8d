package org.convoca.petition;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.convoca.web.HtmlError;

/**
 * Admission control for signing. A burst (a WhatsApp group the night before a vote) can bring
 * hundreds of signers at once, far more than database connections; the pool gives up on a caller
 * after a few seconds, which would drop signatures. Signers instead wait in a fair queue here, a
 * few at a time on the database, so every one of them is counted, in arrival order.
 */
public final class SignGate {
    /** Signing handlers on the database at once: below the pool size, so pages keep loading. */
    static final int PERMITS = 8;
    static final long MAX_WAIT_SECONDS = 60;

    private final Semaphore permits = new Semaphore(PERMITS, true);

    public interface Work {
        void run();
    }

    public void run(Work work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HtmlError(503, "error.unavailable");
        }
        if (!acquired) throw new HtmlError(503, "error.unavailable");
        try {
            work.run();
        } finally {
            permits.release();
        }
    }
}
