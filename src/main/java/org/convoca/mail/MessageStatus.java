package org.convoca.mail;

import java.util.Optional;

/** The life of a message; mirrors the CHECK on {@code messages.status}. */
public enum MessageStatus {
    DRAFT, SCHEDULED, SENDING, PAUSED, SENT, CANCELLED;

    public String code() {
        return name().toLowerCase();
    }

    public static MessageStatus of(String code) {
        return valueOf(code.toUpperCase());
    }

    public static Optional<MessageStatus> parse(String code) {
        try {
            return code == null ? Optional.empty() : Optional.of(of(code.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Content and audience can change only before sending starts. */
    public boolean editable() {
        return this == DRAFT || this == SCHEDULED;
    }
}
