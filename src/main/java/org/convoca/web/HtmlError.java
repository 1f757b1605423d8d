package org.convoca.web;

/** Stops a page request with an error page: {@code status} and a message key for the body. */
public class HtmlError extends RuntimeException {
    private final int status;
    private final String messageKey;

    public HtmlError(int status, String messageKey) {
        super(messageKey, null, false, false);
        this.status = status;
        this.messageKey = messageKey;
    }

    public static HtmlError notFound() {
        return new HtmlError(404, "error.not_found");
    }

    public int status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }
}
