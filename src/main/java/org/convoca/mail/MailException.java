package org.convoca.mail;

/** A send that failed; {@code permanent} ones (5xx, bad address) are not retried. */
public final class MailException extends Exception {
    private final boolean permanent;

    public MailException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
