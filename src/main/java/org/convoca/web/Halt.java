package org.convoca.web;

/** Ends request handling after a filter has already written the response (e.g. a redirect). */
public final class Halt extends RuntimeException {
    public Halt() {
        super(null, null, false, false);
    }
}
