package org.convoca.web;

import java.util.List;

/**
 * An API error, rendered as {@code application/problem+json} (RFC 9457). Thrown by API handlers;
 * the exception handler in {@link org.convoca.App} writes it.
 */
public class Problem extends RuntimeException {
    public record Error(String field, String message) {
    }

    private final int status;
    private final String title;
    private final List<Error> errors;

    public Problem(int status, String title, String detail, List<Error> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }

    public Problem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static Problem notFound(String what) {
        return new Problem(404, "Not Found", what + " not found");
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    public static Problem validation(List<Error> errors) {
        return new Problem(422, "Unprocessable Content", "Some fields are not valid", errors);
    }

    private static final class English {
        static final Messages MESSAGES = new Messages();
    }

    /** A validation message key in words, for API clients (English, as API clients expect). */
    public static String describe(String messageKey) {
        return English.MESSAGES.get(Lang.EN, messageKey);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<Error> errors() {
        return errors;
    }
}
