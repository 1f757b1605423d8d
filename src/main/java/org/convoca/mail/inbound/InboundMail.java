package org.convoca.mail.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what one message in the bounce inbox means: a hard or soft bounce (a DSN), a complaint
 * (an ARF feedback report), an unsubscribe request (mail to a delivery's mailto address), or
 * nothing we act on. The delivery comes only from a signed address of ours; a forged one is
 * reported as such and changes nothing.
 */
public final class InboundMail {
    public enum Kind { HARD_BOUNCE, SOFT_BOUNCE, COMPLAINT, UNSUBSCRIBE, FORGED, NOT_OURS }

    /** The verdict; {@code deliveryId} is set for the four kinds that act, {@code detail} is the status or feedback type. */
    public record Verdict(Kind kind, long deliveryId, String detail) {
        static Verdict of(Kind kind) {
            return new Verdict(kind, -1, "");
        }

        public boolean acts() {
            return deliveryId > 0;
        }
    }

    /** Headers where the address a message was delivered to shows up, most specific first. */
    private static final String[] RECIPIENT_HEADERS = {"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc"};

    private final ReturnPath returnPath;

    public InboundMail(ReturnPath returnPath) {
        this.returnPath = returnPath;
    }

    public Verdict classify(MimeMessage msg) throws MessagingException, IOException {
        List<String> to = addresses(headersOf(msg));
        Optional<Reports.Report> report = Reports.read(msg);
        if (report.isEmpty()) {
            // Not a report: only mail to a delivery's unsubscribe address means something.
            return verdict(to, ReturnPath.Kind.UNSUBSCRIBE, Kind.UNSUBSCRIBE, "");
        }
        Reports.Report r = report.get();
        if (r.type().equals("feedback-report")) {
            String feedback = r.fields().isEmpty() ? "" : Reports.field(r.fields().get(0), "Feedback-Type").toLowerCase(Locale.ROOT);
            if (feedback.equals("not-spam")) return Verdict.of(Kind.NOT_OURS);
            // The complaint names our mail by its return path: the report's Original-Mail-From,
            // the original's Return-Path, or the address the report was sent to.
            List<String> candidates = new ArrayList<>();
            if (!r.fields().isEmpty()) candidates.add(Reports.field(r.fields().get(0), "Original-Mail-From"));
            r.original().ifPresent(h -> candidates.addAll(addresses(h, "Return-Path")));
            candidates.addAll(to);
            return verdict(candidates, ReturnPath.Kind.BOUNCE, Kind.COMPLAINT, feedback.isEmpty() ? "abuse" : feedback);
        }
        if (r.type().equals("delivery-status")) {
            String status = failureStatus(r.fields());
            if (status == null) return Verdict.of(Kind.NOT_OURS);   // delivered, relayed or only delayed
            List<String> candidates = new ArrayList<>(to);
            r.original().ifPresent(h -> candidates.addAll(addresses(h, "Return-Path")));
            return verdict(candidates, ReturnPath.Kind.BOUNCE, status.startsWith("5") ? Kind.HARD_BOUNCE : Kind.SOFT_BOUNCE, status);
        }
        return Verdict.of(Kind.NOT_OURS);
    }

    /**
     * The status of the worst failed recipient: a 5.x.x (permanent) before a 4.x.x (transient);
     * null when no recipient failed. "delayed" is a progress note, not a failure: the sending
     * server is still trying, so it is not counted.
     */
    static String failureStatus(List<InternetHeaders> blocks) {
        String worst = null;
        for (InternetHeaders b : blocks) {
            if (!Reports.field(b, "Action").equalsIgnoreCase("failed")) continue;
            String status = Reports.field(b, "Status").replaceAll("\\s.*$", "");
            if (!status.matches("[45]\\.\\d{1,3}\\.\\d{1,3}")) status = "5.0.0";   // failed, code unreadable: permanent
            if (worst == null || (status.startsWith("5") && !worst.startsWith("5"))) worst = status;
        }
        return worst;
    }

    private Verdict verdict(List<String> candidates, ReturnPath.Kind addressKind, Kind kind, String detail) {
        boolean forged = false;
        for (String a : candidates) {
            long id = returnPath.deliveryOf(a, addressKind);
            if (id > 0) return new Verdict(kind, id, detail);
            forged |= returnPath.looksLike(a, addressKind);
        }
        return Verdict.of(forged ? Kind.FORGED : Kind.NOT_OURS);
    }

    private static InternetHeaders headersOf(MimeMessage msg) throws MessagingException {
        InternetHeaders h = new InternetHeaders();
        var all = msg.getAllHeaders();
        while (all.hasMoreElements()) {
            var header = all.nextElement();
            h.addHeader(header.getName(), header.getValue());
        }
        return h;
    }

    private static List<String> addresses(InternetHeaders h) {
        return h == null ? List.of() : addresses(h, RECIPIENT_HEADERS);
    }

    private static List<String> addresses(InternetHeaders h, String... names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String[] values = h.getHeader(name);
            if (values == null) continue;
            for (String v : values) {
                try {
                    for (InternetAddress a : InternetAddress.parseHeader(v, false)) out.add(a.getAddress());
                } catch (AddressException e) {
                    out.add(v.strip());   // unparseable: compared as written, which matches nothing of ours
                }
            }
        }
        return out;
    }
}
