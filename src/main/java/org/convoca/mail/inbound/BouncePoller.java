package org.convoca.mail.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bounce inbox in the background, on one instance at a time (a {@link JobLease}): each
 * message is classified, a chunk of them applied in one transaction, and only then deleted (or,
 * when not ours, left flagged). A crash between the commit and the delete re-reads the message later,
 * which changes nothing the second time (see {@link InboundEvents}).
 */
public final class BouncePoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BouncePoller.class);
    /** Messages per poll; at a few milliseconds each, far inside the lease. */
    static final int BATCH = 500;
    static final Duration LEASE = Duration.ofMinutes(5);

    private final Mailbox mailbox;
    private final InboundMail classifier;
    private final InboundEvents events;
    private final JobLease lease;
    private ScheduledExecutorService timer;

    public BouncePoller(Mailbox mailbox, InboundMail classifier, InboundEvents events, JobLease lease) {
        this.mailbox = mailbox;
        this.classifier = classifier;
        this.events = events;
        this.lease = lease;
    }

    /** Counts of one poll by verdict; empty when another instance held the lease. */
    public record Poll(boolean leased, Map<InboundMail.Kind, Integer> counts) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** One poll now, on the calling thread. */
    public Poll pollOnce() throws MessagingException {
        Map<InboundMail.Kind, Integer> counts = new EnumMap<>(InboundMail.Kind.class);
        if (!lease.tryAcquire(LEASE)) return new Poll(false, counts);
        try {
            mailbox.poll(BATCH, chunk -> {
                List<InboundMail.Verdict> verdicts = chunk.stream().map(this::classify).toList();
                // One transaction per chunk; database trouble throws here and the chunk stays for the next poll.
                events.apply(verdicts);
                verdicts.forEach(v -> counts.merge(v.kind(), 1, Integer::sum));
                return verdicts.stream().map(v -> v.acts() ? Mailbox.Disposition.DELETE : Mailbox.Disposition.KEEP).toList();
            });
        } finally {
            lease.release();
        }
        if (!counts.isEmpty()) log.info("Bounce inbox {}: {}", mailbox.describe(), counts);   // counts only, no addresses
        return new Poll(true, counts);
    }

    private InboundMail.Verdict classify(MimeMessage msg) {
        try {
            return classifier.classify(msg);
        } catch (MessagingException | IOException | RuntimeException e) {
            // Malformed mail must not block the inbox: it is left for a person to look at.
            return new InboundMail.Verdict(InboundMail.Kind.NOT_OURS, -1, "");
        }
    }

    public BouncePoller start(Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bounce-inbox");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                pollOnce();
            } catch (MessagingException | RuntimeException e) {
                log.warn("Bounce inbox {} not read: {}: {}", mailbox.describe(), e.getClass().getSimpleName(), e.getMessage());
            }
        }, 5, every.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void close() {
        if (timer == null) return;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
