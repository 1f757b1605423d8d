package org.convoca.mail.inbound;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the machine-readable parts of a report (RFC 6522 multipart/report): the field blocks of a
 * delivery status notification (RFC 3464) or of an ARF feedback report (RFC 5965), and the
 * headers of the returned original message. Both report bodies are header-style field blocks
 * separated by blank lines, so Jakarta Mail's {@link InternetHeaders} reads them.
 */
final class Reports {
    /** What a multipart/report holds; {@code type} is "delivery-status", "feedback-report" or other. */
    record Report(String type, List<InternetHeaders> fields, Optional<InternetHeaders> original) {
    }

    private Reports() {
    }

    static Optional<Report> read(MimeMessage msg) throws MessagingException, IOException {
        ContentType type = contentType(msg);
        if (type == null || !type.match("multipart/report")) return Optional.empty();
        String reportType = Optional.ofNullable(type.getParameter("report-type")).orElse("").toLowerCase(Locale.ROOT);
        if (!(msg.getContent() instanceof Multipart parts)) return Optional.empty();
        List<InternetHeaders> fields = List.of();
        InternetHeaders original = null;
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            ContentType pt = contentType(part);
            if (pt == null) continue;
            if (pt.match("message/delivery-status") || pt.match("message/global-delivery-status")
                    || pt.match("message/feedback-report")) {
                fields = blocks(part);
            } else if (pt.match("message/rfc822") || pt.match("text/rfc822-headers")
                    || pt.match("message/global") || pt.match("message/global-headers")) {
                try (InputStream in = part.getInputStream()) {
                    original = new InternetHeaders(in);
                }
            }
        }
        return Optional.of(new Report(reportType, fields, Optional.ofNullable(original)));
    }

    /** All field blocks of a report part: per-message fields first, then one per recipient. */
    private static List<InternetHeaders> blocks(Part part) throws MessagingException, IOException {
        List<InternetHeaders> blocks = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(part.getInputStream())) {
            // A block ends at a blank line; stray blank lines give empty blocks, skipped. Bounded,
            // so a hostile report cannot keep the poller busy.
            for (int i = 0; i < 200; i++) {
                in.mark(1);
                if (in.read() < 0) break;
                in.reset();
                InternetHeaders h = new InternetHeaders(in);
                if (h.getAllHeaders().hasMoreElements()) blocks.add(h);
            }
        }
        return blocks;
    }

    static String field(InternetHeaders h, String name) {
        String v = h.getHeader(name, null);
        return v == null ? "" : v.strip();
    }

    private static ContentType contentType(Part p) {
        try {
            String ct = p.getContentType();
            return ct == null ? null : new ContentType(ct);
        } catch (MessagingException e) {
            return null;   // a malformed Content-Type is simply not a report
        }
    }
}
