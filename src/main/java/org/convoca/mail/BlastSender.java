package org.convoca.mail;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.convoca.settings.Organization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends blasts: several worker threads per instance (one SMTP connection each, kept open across
 * batches, pipelining where the server allows: {@link PipelinedSmtp}), each leasing a block of
 * deliveries in one statement, rendering from the message's prepared skeleton and sending. Separate from the transactional {@link OutboxSender}, so a running
 * blast never delays a password reset. A delivery is recorded as sent only after SMTP accepted it,
 * by a {@link SentRecorder} that commits for all workers while they keep sending; at most
 * {@link #UNRECORDED} are accepted but unrecorded at any moment, which bounds what a killed
 * instance sends twice. Nobody is skipped: the rest of a lease is claimed again when it runs out.
 */
public final class BlastSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlastSender.class);
    /** Deliveries accepted by SMTP but not yet recorded, per instance: the most a crash can send twice. */
    static final int UNRECORDED = 200;
    /** Deliveries leased per claim: large, so the queue is read a few times per thousand emails. */
    static final int CLAIM = 250;
    private static final long PAUSE_CHECK_NANOS = 1_000_000_000L;
    static final int YIELD_FACTOR = 20;
    /**
     * While people sign, the least an instance's workers together rest per email: at most about
     * 330 emails a second between them, whatever the number of connections. With pipelining an
     * email's own time is mostly CPU (its replies are read later), so twenty times it no longer
     * held the blast back: 1,700 emails/s while people signed, signing 30% slower (bench/mail);
     * with 1.5 ms, 8-19% slower.
     */
    private static final long FOREGROUND_NANOS_PER_EMAIL = 3_000_000L;

    private final Deliveries deliveries;
    private final MessageRepository messages;
    private final MessageService service;
    private final MessageLinks links;
    private final BlastRenderer renderer;
    private final SmtpMailer smtp;
    private final MailRate rate;
    private final Supplier<Organization> organization;
    private final java.util.function.Function<Message, Mailer.Sender> from;
    private final Dkim dkim;
    private final String messageIdDomain;
    private final Duration lease;
    private final Map<Long, BlastRenderer.Prepared> prepared = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private final SentRecorder recorder;
    /** Where each email's SMTP outcome goes. */
    private final BlastOutcomes outcome;
    /** Claims the next lease of each worker while it sends the current one (see {@link NextClaim}); idle threads end after a minute. */
    private final ExecutorService claimer = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blast-claimer");
        t.setDaemon(true);
        return t;
    });
    private ExecutorService workers;
    private volatile int claimSize = CLAIM;
    private volatile int connections = 1;
    private volatile org.convoca.mail.inbound.ReturnPath returnPath;
    private volatile org.convoca.ops.ForegroundWork foreground;

    public BlastSender(Deliveries deliveries, MessageRepository messages, MessageService service, MessageLinks links,
                       BlastRenderer renderer, SmtpMailer smtp, MailRate rate, Supplier<Organization> organization,
                       java.util.function.Function<Message, Mailer.Sender> from, Dkim dkim, String messageIdDomain,
                       Duration lease) {
        this.deliveries = deliveries;
        this.messages = messages;
        this.service = service;
        this.links = links;
        this.renderer = renderer;
        this.smtp = smtp;
        this.rate = rate;
        this.organization = organization;
        this.from = from;
        this.dkim = dkim;
        this.messageIdDomain = messageIdDomain;
        this.lease = lease;
        this.recorder = new SentRecorder(deliveries, UNRECORDED, messageIdDomain);
        this.outcome = new BlastOutcomes(deliveries, recorder);
    }

    public void start(int connections, Duration pollEvery) {
        // Under MAIL_RATE a worker leases about a second of its share: leasing more would not send
        // faster, and would leave other instances nothing to take from a small blast.
        claimSize = rate.perSecond().map(r -> (int) Math.max(10, Math.min(CLAIM, r / connections))).orElse(CLAIM);
        running.set(true);
        this.connections = connections;
        workers = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "blast-sender");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < connections; i++) {
            boolean scheduler = i == 0;
            workers.submit(() -> loop(pollEvery, scheduler));
        }
    }

    /** Gives each delivery a VERP return path and mailto unsubscribe address (BOUNCE_DOMAIN); null: none. */
    public BlastSender returnPath(org.convoca.mail.inbound.ReturnPath returnPath) {
        this.returnPath = returnPath;
        return this;
    }

    /**
     * While people sign on this instance, each worker rests {@link #YIELD_FACTOR} times as long as
     * its last email took to build and send, and the workers together at least 3 ms per email
     * (at most 50 ms a worker): the blast keeps going at a few hundred emails a second, and
     * signers keep their pace (bench/mail measures signing with and without a blast).
     */
    public BlastSender yieldTo(org.convoca.ops.ForegroundWork foreground) {
        this.foreground = foreground;
        return this;
    }

    /** Wakes idle workers (a message just started). */
    public void wake() {
        wake.release(64);
    }

    private void loop(Duration pollEvery, boolean scheduler) {
        SmtpConnection<Recipient> connection = new SmtpConnection<>(smtp, outcome);
        NextClaim next = new NextClaim();
        while (running.get()) {
            try {
                if (scheduler) service.startDue();
                if (drainBatch(connection, next) == 0) {
                    recorder.flush();
                    deliveries.finishCompleted();
                    wake.tryAcquire(pollEvery.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.warn("Blast sender paused: {}", e.getMessage());
                sleepQuietly(pollEvery);
            }
        }
        next.handBack();
        connection.close();
    }

    /** Sends everything due now on the calling thread (tests, and the CLI); returns deliveries handled. */
    public int drain() throws InterruptedException {
        SmtpConnection<Recipient> connection = new SmtpConnection<>(smtp, outcome);
        NextClaim next = new NextClaim();
        int total = 0;
        try {
            int n;
            while ((n = drainBatch(connection, next)) > 0) total += n;
            recorder.flush();
            deliveries.finishCompleted();
        } finally {
            next.handBack();
            connection.close();
        }
        return total;
    }

    private int drainBatch(SmtpConnection<Recipient> connection, NextClaim next) throws InterruptedException {
        boolean claimedAhead = next.started();
        List<Recipient> batch = next.take();
        if (batch.isEmpty()) return 0;
        Organization org = organization.get();
        // A lease claimed ahead may hold rows of a message paused or cancelled since: checked first.
        long checked = claimedAhead ? System.nanoTime() - PAUSE_CHECK_NANOS - 1 : System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            // A full lease says more is queued: the next one is claimed while this one's second half goes out.
            if (i == batch.size() / 2 && batch.size() >= claimSize) next.start();
            if (System.nanoTime() - checked > PAUSE_CHECK_NANOS) {
                // A pause or cancel takes effect within about a second, not after the whole lease.
                if (releaseStopped(batch.subList(i, batch.size()))) break;
                checked = System.nanoTime();
            }
            Recipient r = batch.get(i);
            PipelinedSmtp<Recipient> client;
            try {
                client = connection.open();
            } catch (IOException e) {
                // SMTP is away: everything not sent from this batch is retried later.
                for (Recipient rest : batch.subList(i, batch.size())) deliveries.markRetry(rest, "SMTP connection: " + e.getMessage());
                connection.close();
                break;
            }
            sendOne(connection, client, r, org);
        }
        // The last email's content would otherwise wait for the next lease's first email.
        connection.finish();
        return batch.size();
    }

    /**
     * A worker's next lease, claimed while the current one is being sent: a claim is a round trip
     * of several milliseconds to PostgreSQL, and waiting for each took about a tenth of a worker's
     * time (JFR). Rows claimed ahead are unsent: a crash only delays them until their lease runs
     * out, and a worker that stops hands them back.
     */
    private final class NextClaim {
        private java.util.concurrent.CompletableFuture<List<Recipient>> next;

        boolean started() {
            return next != null;
        }

        void start() {
            if (next == null) next = java.util.concurrent.CompletableFuture.supplyAsync(() -> deliveries.claim(claimSize, lease), claimer);
        }

        /** The lease claimed ahead, or one claimed now. */
        List<Recipient> take() {
            if (next == null) return deliveries.claim(claimSize, lease);
            try {
                return next.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            } finally {
                next = null;
            }
        }

        /** Releases a lease claimed ahead and never taken (the worker is stopping). */
        void handBack() {
            if (next == null) return;
            try {
                List<Recipient> rows = take();
                if (!rows.isEmpty()) deliveries.release(rows.stream().map(Recipient::deliveryId).toList());
            } catch (RuntimeException e) {
                // The database is away: the rows come back when their lease runs out.
                log.warn("Blast sender could not hand back a lease claimed ahead: {}", e.getMessage());
            }
        }
    }

    /** True when a message of the rest of the lease stopped sending; its rows are handed back. */
    private boolean releaseStopped(List<Recipient> rest) {
        var ids = rest.stream().map(Recipient::messageId).collect(java.util.stream.Collectors.toSet());
        var sending = deliveries.sending(ids);
        if (sending.containsAll(ids)) return false;
        deliveries.release(rest.stream().map(Recipient::deliveryId).toList());
        return true;
    }

    private void stepBack(long started) {
        var f = foreground;
        if (f == null || !f.active()) return;
        long rest = Math.min(Math.max((System.nanoTime() - started) * YIELD_FACTOR, FOREGROUND_NANOS_PER_EMAIL * connections),
                50_000_000L);
        java.util.concurrent.locks.LockSupport.parkNanos(rest);
    }

    /**
     * Builds one email and hands it to the connection; its outcome (now, or with the next email's
     * replies when pipelining) comes to {@link #outcome}.
     */
    private void sendOne(SmtpConnection<Recipient> connection, PipelinedSmtp<Recipient> client, Recipient r, Organization org)
            throws InterruptedException {
        BlastRenderer.Prepared p = prepared.compute(r.messageId(), (id, old) ->
                old != null && old.organization().equals(org) ? old : prepare(id, org));
        String messageId = Deliveries.smtpMessageId(r.messageId(), r.deliveryId(), messageIdDomain);
        long started = System.nanoTime();
        BlastEmail.Built email;
        try {
            BlastRenderer.Rendered rendered = p.render(r);
            String name = (r.givenName() + " " + r.familyName()).strip();
            email = BlastEmail.bytes(smtp.session(), rendered, r.email(), name, from.apply(p.message()),
                    p.message().replyTo(), messageId, dkim, returnPath == null ? null : returnPath.of(r.deliveryId()));
        } catch (jakarta.mail.internet.AddressException e) {
            outcome.failed(r, "invalid address", true);
            return;
        } catch (MessagingException | java.io.UnsupportedEncodingException | RuntimeException e) {
            outcome.failed(r, String.valueOf(e.getMessage()), false);
            return;
        }
        // Under MAIL_RATE the wait for a permit may be long: the email still open on the connection
        // goes out first, so it never waits in the middle of its DATA and counts as sent when it was.
        if (rate.perSecond().isPresent()) connection.finish();
        rate.acquire();
        try {
            client.send(email.envelopeFrom(), email.to(), email.content(), r);
            connection.used();
        } catch (PipelinedSmtp.BadAddress e) {
            outcome.failed(r, "invalid address: " + e.getMessage(), true);
        } catch (IOException e) {
            // The connection broke: every email on it without a reply was reported unconfirmed
            // (retried); the next send connects again.
            connection.close();
        }
        stepBack(started);
    }

    /** The message, its tracked links and its skeletons: built once per message (and organization settings). */
    private BlastRenderer.Prepared prepare(long messageId, Organization org) {
        Message m = messages.find(messageId).orElseThrow();
        Map<String, Long> ids = m.tracking() ? links.ensure(messageId, renderer.linksOf(m)) : Map.of();
        return renderer.prepare(m, org, ids);
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (workers == null) return;
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.close();
        // The claimer stays: drain() may still run after close (tests, the CLI); its idle threads end by themselves.
    }
}
