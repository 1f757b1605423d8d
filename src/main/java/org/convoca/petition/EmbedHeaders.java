package org.convoca.petition;

/** The embed's CSP: the site-wide policy, except that any site may frame it. */
final class EmbedHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors *; base-uri 'none'; object-src 'none'";

    private EmbedHeaders() {
    }
}
