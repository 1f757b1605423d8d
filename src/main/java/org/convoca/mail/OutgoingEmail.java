package org.convoca.mail;

import java.util.Map;

/**
 * One email to put in the outbox. {@code dedupeKey} (nullable) makes the write idempotent: a
 * second email with the same key is not queued ("thanks for signing petition 7" goes out once).
 */
public record OutgoingEmail(String kind, String dedupeKey, String toAddress, String toName,
                            String replyTo, String subject, String textBody, String htmlBody,
                            Map<String, String> headers) {
}
