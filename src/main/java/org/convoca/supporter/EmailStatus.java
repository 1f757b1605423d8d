package org.convoca.supporter;

import java.util.Arrays;
import java.util.Optional;

/** A person's email status, as {@code people.email_status} (CHECK) and the API's {@code status}. */
public enum EmailStatus {
    SUBSCRIBED("subscribed"), UNSUBSCRIBED("unsubscribed"), BOUNCING("bouncing"), SPAM_COMPLAINT("spam_complaint");

    private final String value;

    EmailStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Only subscribed people may receive a blast. */
    public boolean mailable() {
        return this == SUBSCRIBED;
    }

    public static Optional<EmailStatus> parse(String s) {
        if (s == null) return Optional.empty();
        String v = s.strip().toLowerCase(java.util.Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.value.equals(v)).findFirst();
    }
}
