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
    static final long MAX_WAIT_SECONDS = 60;

    private final Semaphore permits;

    /** {@code poolSize}: database connections; signing may use all but a few, so pages keep loading. */
    public SignGate(int poolSize) {
        this.permits = new Semaphore(Math.max(2, poolSize - 4), true);
    }

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
