package org.convoca.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each blast email's SMTP outcome does to its delivery: accepted, it goes to the
 * {@link SentRecorder} (recorded as sent only after the server's 2xx to its final "."); refused
 * with 5xx, it failed for good; refused with 4xx, or unconfirmed because the connection broke
 * first, it is retried with backoff.
 */
final class BlastOutcomes implements PipelinedSmtp.Outcome<Recipient> {
    private static final Logger log = LoggerFactory.getLogger(BlastOutcomes.class);
    private final Deliveries deliveries;
    private final SentRecorder recorder;

    BlastOutcomes(Deliveries deliveries, SentRecorder recorder) {
        this.deliveries = deliveries;
        this.recorder = recorder;
    }

    @Override
    public void accepted(Recipient r) throws InterruptedException {
        recorder.add(new Deliveries.Sent(r.deliveryId(), r.personId(), r.messageId()));
    }

    @Override
    public void rejected(Recipient r, SmtpReplies.Reply reply) {
        fail(r, reply.code(), reply.toString(), reply.code() >= 500);
    }

    @Override
    public void unconfirmed(Recipient r, String reason) {
        fail(r, 0, "SMTP connection: " + reason, false);
    }

    /** A failure found before SMTP (an invalid address, a rendering error). */
    void failed(Recipient r, String reason, boolean permanent) {
        fail(r, 0, reason, permanent);
    }

    /** The server's text (which may quote the address) is stored with the delivery; the log gets only its code. */
    private void fail(Recipient r, int code, String reason, boolean permanent) {
        log.warn("Blast delivery {} failed (attempt {}, {}): {}", r.deliveryId(), r.attempts(),
                permanent ? "permanent" : "will retry", code > 0 ? "SMTP reply " + code : reason);
        if (permanent) deliveries.markFailed(r.deliveryId(), reason);
        else deliveries.markRetry(r, reason);
    }
}
