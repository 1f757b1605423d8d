package org.convoca.mail;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records accepted blast deliveries as sent on a thread of its own, so SMTP workers keep sending
 * while a commit waits for the disk; every worker's deliveries go into one transaction (a group
 * commit). At most {@code limit} deliveries are ever accepted by SMTP but not yet recorded: a
 * worker that would pass that waits. Those are the only emails a crash can send twice. When the
 * database is away, the recorder keeps retrying the same rows rather than dropping them.
 */
final class SentRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SentRecorder.class);
    private static final long FLUSH_TIMEOUT_NANOS = 60_000_000_000L;
    private static final long LINGER_NANOS = 20_000_000L;
    private final Deliveries deliveries;
    private final int limit;
    private final String messageIdDomain;
    private final List<Deliveries.Sent> pending = new ArrayList<>();
    private int recording;
    private boolean stopping;
    private int flushing;
    private Thread thread;

    SentRecorder(Deliveries deliveries, int limit, String messageIdDomain) {
        this.deliveries = deliveries;
        this.messageIdDomain = messageIdDomain;
        this.limit = limit;
    }

    /** Hands over one accepted delivery; waits while {@code limit} are still unrecorded. */
    synchronized void add(Deliveries.Sent sent) throws InterruptedException {
        if (thread == null) {
            // Started on first use, so a stopped sender can still drain (tests, the CLI).
            thread = new Thread(this::run, "blast-recorder");
            thread.setDaemon(true);
            thread.start();
        }
        while (pending.size() + recording >= limit) wait();
        pending.add(sent);
        // The recorder needs waking for the first row (it starts lingering) and at half the bound.
        if (pending.size() == 1 || pending.size() >= limit / 2) notifyAll();
    }

    /** Waits until everything handed over so far is recorded; fails after a minute of trying. */
    synchronized void flush() throws InterruptedException {
        long deadline = System.nanoTime() + FLUSH_TIMEOUT_NANOS;
        flushing++;
        notifyAll();
        try {
            while (!pending.isEmpty() || recording > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("sent deliveries could not be recorded (the recorder keeps trying)");
                wait(Math.max(1, left / 1_000_000));
            }
        } finally {
            flushing--;
        }
    }

    private void run() {
        while (true) {
            List<Deliveries.Sent> batch;
            synchronized (this) {
                while (pending.isEmpty() && !stopping) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.isEmpty()) return;
                // Lingers briefly so that one commit records many rows: each commit costs the
                // recorder about as much CPU (jOOQ rendering) for 10 rows as for 100.
                long until = System.nanoTime() + LINGER_NANOS;
                long left;
                while (pending.size() < limit / 2 && !stopping && flushing == 0 && (left = until - System.nanoTime()) > 0) {
                    try {
                        wait(left / 1_000_000, (int) (left % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = new ArrayList<>(pending);
                pending.clear();
                recording = batch.size();
            }
            record(batch);
            synchronized (this) {
                recording = 0;
                notifyAll();
            }
        }
    }

    private void record(List<Deliveries.Sent> batch) {
        for (long wait = 100; ; wait = Math.min(wait * 2, 10_000)) {
            try {
                deliveries.markSent(batch, messageIdDomain);
                return;
            } catch (RuntimeException e) {
                log.warn("Could not record {} sent deliveries, retrying: {}", batch.size(), e.getMessage());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    // Shutting down: the rows stay leased and are sent again after the lease (at most limit).
                    return;
                }
            }
        }
    }

    /** Records what is pending, then stops the thread (a later {@link #add} starts it again). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            if (t == null) return;
            stopping = true;
            notifyAll();
        }
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            thread = null;
            stopping = false;
        }
    }
}
