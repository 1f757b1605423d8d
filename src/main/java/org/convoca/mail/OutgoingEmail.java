package org.convoca.mail;

import java.util.Map;

/**
 * One email to put in the outbox. {@code dedupeKey} (nullable) makes the write idempotent: a
 * second email with the same key is not queued ("thanks for signing petition 7" goes out once).
 * {@code fromName} (nullable) replaces the organization's display name on the sender address,
 * as a letter does with its writer's name; the address itself is always the platform's.
 * {@code fills} (nullable) says the parts are a stored body with this email's values in place
 * ({@link OutboxBodies}); {@code textBody} and {@code htmlBody} are null then.
 */
public record OutgoingEmail(String kind, String dedupeKey, String toAddress, String toName,
                            String replyTo, String subject, String textBody, String htmlBody,
                            Map<String, String> headers, String fromName, BodyFills fills) {

    /** An email with its parts given whole. */
    public OutgoingEmail(String kind, String dedupeKey, String toAddress, String toName,
                         String replyTo, String subject, String textBody, String htmlBody,
                         Map<String, String> headers, String fromName) {
        this(kind, dedupeKey, toAddress, toName, replyTo, subject, textBody, htmlBody, headers, fromName, null);
    }

    /** An email under the organization's own sender name. */
    public OutgoingEmail(String kind, String dedupeKey, String toAddress, String toName,
                         String replyTo, String subject, String textBody, String htmlBody,
                         Map<String, String> headers) {
        this(kind, dedupeKey, toAddress, toName, replyTo, subject, textBody, htmlBody, headers, null);
    }
}
