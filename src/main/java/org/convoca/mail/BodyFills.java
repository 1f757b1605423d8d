package org.convoca.mail;

import java.util.List;

/**
 * A queued email whose parts are a stored body ({@link OutboxBodies}) with values in place of its
 * markers: {@code text} for the text part, {@code html} for the HTML part (already escaped), one
 * value a marker in the body's order.
 */
public record BodyFills(long bodyId, List<String> text, List<String> html) {
    public BodyFills {
        text = List.copyOf(text);
        html = List.copyOf(html);
    }
}
