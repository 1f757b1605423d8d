package org.convoca.mail;

import java.util.List;

/** The seam between the outbox and the wire: delivers a batch over one connection. */
public interface Mailer {
    /** The result of one message of a batch: a Message-ID, or the failure. */
    record Result(long outboxId, String messageId, MailException failure) {
    }

    List<Result> send(List<OutboxMessage> batch, Sender from);

    /** The envelope sender: address and display name. */
    record Sender(String address, String name) {
    }
}
