package org.convoca.mail;

import java.time.OffsetDateTime;
import java.util.Map;

/** A row of the outbox as the sender and the admin page see it. */
public record OutboxMessage(long id, String kind, String toAddress, String toName, String fromAddress,
                            String fromName, String replyTo, String subject, String textBody, String htmlBody,
                            Map<String, String> headers, String status, int attempts, String lastError,
                            OffsetDateTime createdAt, OffsetDateTime sentAt, OffsetDateTime nextAttemptAt) {
}
