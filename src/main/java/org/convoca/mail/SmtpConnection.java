package org.convoca.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.time.Duration;

/**
 * A blast worker's SMTP connection, kept open across batches. Used moments ago, it is trusted as
 * it is (Angus's isConnected() is a NOOP round trip: one more per email). Idle longer, it is
 * checked with that NOOP first: servers close idle connections (Postfix after 300 s, its smtp-sink
 * after 100), and sending on a closed one would cost that delivery a failed attempt and a retry.
 */
final class SmtpConnection {
    static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(5);
    private final SmtpMailer smtp;
    private final long checkAfterIdleNanos;
    private Transport transport;
    private long lastUsed;

    SmtpConnection(SmtpMailer smtp) {
        this(smtp, CHECK_AFTER_IDLE);
    }

    SmtpConnection(SmtpMailer smtp, Duration checkAfterIdle) {
        this.smtp = smtp;
        this.checkAfterIdleNanos = checkAfterIdle.toNanos();
    }

    /** The open connection: the same one while it is in use, checked or new after a rest. */
    Transport open() throws MessagingException {
        if (transport != null && System.nanoTime() - lastUsed > checkAfterIdleNanos && !transport.isConnected()) close();
        if (transport == null) {
            transport = smtp.connect();
            lastUsed = System.nanoTime();
        }
        return transport;
    }

    /** A send on it just succeeded. */
    void used() {
        lastUsed = System.nanoTime();
    }

    void close() {
        if (transport == null) return;
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // already broken
        }
        transport = null;
    }
}
