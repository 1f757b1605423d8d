package org.convoca.mail;

import java.io.IOException;
import java.time.Duration;

/**
 * A blast worker's SMTP connection ({@link PipelinedSmtp}), kept open across batches. Used moments
 * ago, it is trusted as it is (a NOOP per email would be one more round trip each). Idle longer,
 * it is checked with a NOOP first: servers close idle connections (Postfix after 300 s, its
 * smtp-sink after 100), and sending on a closed one would cost that delivery a failed attempt and
 * a retry.
 */
final class SmtpConnection<T> {
    static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(5);
    private final SmtpMailer smtp;
    private final PipelinedSmtp.Outcome<T> outcome;
    private final long checkAfterIdleNanos;
    private PipelinedSmtp<T> client;
    private long lastUsed;

    SmtpConnection(SmtpMailer smtp, PipelinedSmtp.Outcome<T> outcome) {
        this(smtp, outcome, CHECK_AFTER_IDLE);
    }

    SmtpConnection(SmtpMailer smtp, PipelinedSmtp.Outcome<T> outcome, Duration checkAfterIdle) {
        this.smtp = smtp;
        this.outcome = outcome;
        this.checkAfterIdleNanos = checkAfterIdle.toNanos();
    }

    /** The open connection: the same one while it is in use, checked or new after a rest. */
    PipelinedSmtp<T> open() throws IOException {
        if (client != null && System.nanoTime() - lastUsed > checkAfterIdleNanos && !client.alive()) close();
        if (client == null) {
            client = smtp.pipelined(outcome);
            lastUsed = System.nanoTime();
        }
        return client;
    }

    /** A send on it just went through. */
    void used() {
        lastUsed = System.nanoTime();
    }

    /** Completes the email still open on it, if any (its outcome is reported); a broken connection is dropped. */
    void finish() throws InterruptedException {
        if (client == null) return;
        try {
            client.finish();
        } catch (IOException e) {
            // Reported to the outcome already; the next open() connects again.
            client = null;
        }
    }

    void close() {
        if (client == null) return;
        PipelinedSmtp<T> c = client;
        client = null;
        c.close();
    }
}
