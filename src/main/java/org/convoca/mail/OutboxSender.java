package org.convoca.mail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background worker that drains the outbox: claims due rows, hands them to the {@link Mailer},
 * records each outcome. Runs in every instance; SKIP LOCKED keeps them from sending a row twice.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    static final Duration LEASE = Duration.ofMinutes(5);
    private static final int BATCH = 50;

    private final Outbox outbox;
    private final Mailer mailer;
    private final Supplier<Mailer.Sender> sender;
    private final ScheduledExecutorService executor;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

    public OutboxSender(Outbox outbox, Mailer mailer, Supplier<Mailer.Sender> sender) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.sender = sender;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-sender");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration pollEvery) {
        executor.scheduleWithFixedDelay(this::drainSafely, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends everything due now; returns how many rows were handled. */
    public int drain() {
        int handled = 0;
        List<OutboxMessage> batch;
        while (!(batch = outbox.claimDue(BATCH, LEASE)).isEmpty()) {
            for (Mailer.Result r : mailer.send(batch, sender.get())) {
                record(r, batch);
                handled++;
            }
        }
        return handled;
    }

    private void record(Mailer.Result r, List<OutboxMessage> batch) {
        if (r.failure() == null) {
            outbox.markSent(r.outboxId(), r.messageId());
            sent.incrementAndGet();
            return;
        }
        int attempts = batch.stream().filter(m -> m.id() == r.outboxId()).findFirst().map(OutboxMessage::attempts).orElse(1);
        // Log the row id and reason only: addresses are personal data.
        log.warn("Mail {} failed (attempt {}, {}): {}", r.outboxId(), attempts,
                r.failure().permanent() ? "permanent" : "will retry", r.failure().getMessage());
        if (r.failure().permanent()) {
            outbox.markFailed(r.outboxId(), r.failure().getMessage());
        } else {
            outbox.markRetry(r.outboxId(), attempts, r.failure().getMessage());
        }
    }

    /** Emails this instance has handed to SMTP, for the metrics. */
    public long sentCount() {
        return sent.get();
    }

    private void drainSafely() {
        try {
            drain();
        } catch (RuntimeException e) {
            // Typically the database is away; the next tick tries again.
            log.warn("Outbox sender paused: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
