package org.convoca.ops;

/**
 * Tells background work (a blast being sent) that people are waiting on this instance right now
 * (signing a petition), so it can step back. On a small server a full-speed blast takes a core that
 * signers the night before a board vote need more; the blast can finish a few minutes later.
 */
public final class ForegroundWork {
    private static final long RECENT_NANOS = 1_000_000_000L;
    private volatile long lastNanos = System.nanoTime() - 2 * RECENT_NANOS;

    /** A person's request is being handled now. */
    public void touch() {
        lastNanos = System.nanoTime();
    }

    /** Whether a person's request was handled within the last second. */
    public boolean active() {
        return System.nanoTime() - lastNanos < RECENT_NANOS;
    }
}
