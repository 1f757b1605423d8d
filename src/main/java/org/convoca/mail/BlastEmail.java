package org.convoca.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * Builds the MIME message of one blast delivery: multipart text + HTML in UTF-8 quoted-printable,
 * a Message-ID of its own, and the RFC 2369 / RFC 8058 unsubscribe headers (an https link that
 * unsubscribes on a POST, and a mailto), then DKIM-signs it when a key is configured.
 *
 * <p>The bytes are written here once, with Jakarta Mail's own header encoders, instead of through
 * a MimeMessage's header and part objects: a blast sends the same shape a hundred thousand times,
 * and building, saving and serialising those objects cost more than rendering the email. The
 * result is still a {@link MimeMessage}, so SMTP, DKIM and tests treat it like any other.
 */
final class BlastEmail {
    // "=_" never occurs in quoted-printable output, so no body line can look like the boundary.
    private static final String BOUNDARY = "=_convoca_" + UUID.randomUUID().toString().replace("-", "");
    private static final ThreadLocal<MailDateFormat> DATES = ThreadLocal.withInitial(MailDateFormat::new);

    private BlastEmail() {
    }

    static MimeMessage build(Session session, BlastRenderer.Rendered r, String to, String toName,
                             Mailer.Sender from, String replyTo, String messageId, Dkim dkim)
            throws MessagingException, UnsupportedEncodingException {
        return build(session, r, to, toName, from, replyTo, messageId, dkim, null);
    }

    /**
     * {@code verp} (null without BOUNCE_DOMAIN): the delivery's own envelope sender, to which
     * bounces return, and its own List-Unsubscribe mailto address.
     */
    static MimeMessage build(Session session, BlastRenderer.Rendered r, String to, String toName,
                             Mailer.Sender from, String replyTo, String messageId, Dkim dkim,
                             org.convoca.mail.inbound.ReturnPath.Verp verp)
            throws MessagingException, UnsupportedEncodingException {
        InternetAddress fromAddress = new InternetAddress(from.address(), SmtpMailer.oneLine(from.name()), "UTF-8");
        InternetAddress toAddress = new InternetAddress(to, SmtpMailer.oneLine(toName), "UTF-8");
        Prepared msg = new Prepared(session, write(r, fromAddress, toAddress, replyTo, messageId, verp), fromAddress, toAddress);
        if (dkim == null) {
            if (verp != null) msg.setEnvelopeFrom(verp.bounce());
            return msg;
        }
        // The signer parses the finished message and signs what it will write.
        MimeMessage signed = dkim.sign(new MimeMessage(session, new ByteArrayInputStream(msg.bytes)));
        if (verp == null) return signed;
        // Only an SMTPMessage carries an envelope sender: the copy writes (and so signs) the message once.
        SMTPMessage stamped = new SMTPMessage(signed);
        stamped.setEnvelopeFrom(verp.bounce());
        return stamped;
    }

    /** One delivery as the pipelining client sends it: its envelope and its finished bytes. */
    record Built(String envelopeFrom, String to, byte[] content) {
    }

    /**
     * The delivery's envelope and bytes without a MimeMessage around them (one is parsed only to
     * DKIM-sign). The envelope sender is the VERP return path when there is one, else the From address.
     */
    static Built bytes(Session session, BlastRenderer.Rendered r, String to, String toName, Mailer.Sender from,
                       String replyTo, String messageId, Dkim dkim, org.convoca.mail.inbound.ReturnPath.Verp verp)
            throws MessagingException, UnsupportedEncodingException {
        InternetAddress fromAddress = new InternetAddress(from.address(), SmtpMailer.oneLine(from.name()), "UTF-8");
        InternetAddress toAddress = new InternetAddress(to, SmtpMailer.oneLine(toName), "UTF-8");
        byte[] bytes = write(r, fromAddress, toAddress, replyTo, messageId, verp);
        if (dkim != null) {
            MimeMessage signed = dkim.sign(new MimeMessage(session, new ByteArrayInputStream(bytes)));
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1024);
            try {
                signed.writeTo(out);
            } catch (IOException e) {
                throw new MessagingException("could not write the signed message", e);
            }
            bytes = out.toByteArray();
        }
        return new Built(verp != null ? verp.bounce() : fromAddress.getAddress(), to, bytes);
    }

    private static byte[] write(BlastRenderer.Rendered r, InternetAddress fromAddress, InternetAddress toAddress,
                                String replyTo, String messageId, org.convoca.mail.inbound.ReturnPath.Verp verp)
            throws MessagingException, UnsupportedEncodingException {
        String to = toAddress.getAddress();
        // The address goes into the header as stored; a line break in it could start a header of its own.
        if (to.indexOf('\r') >= 0 || to.indexOf('\n') >= 0) throw new jakarta.mail.internet.AddressException("line break", to);
        BlastRenderer.Filled filled = r.filled();
        ByteArrayOutputStream out = new ByteArrayOutputStream(filled != null
                ? filled.text().length() + filled.html().length() * 11 / 10 + 2048
                : r.text().length() + r.html().length() * 11 / 10 + 1024);
        header(out, "Date", date());
        header(out, "From", fromAddress.toString());
        header(out, "To", toAddress.toString());
        if (replyTo != null && !replyTo.isBlank()) header(out, "Reply-To", new InternetAddress(replyTo, true).toString());
        header(out, "Message-ID", messageId);
        header(out, "Subject", MimeUtility.encodeText(SmtpMailer.oneLine(r.subject()), "UTF-8", null));
        header(out, "MIME-Version", "1.0");
        String mailto = verp == null ? fromAddress.getAddress() : verp.unsubscribe();
        header(out, "List-Unsubscribe", "<" + SmtpMailer.oneLine(r.unsubscribeUrl()) + ">, <mailto:"
                + mailto + "?subject=unsubscribe>");
        header(out, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        header(out, "Precedence", "bulk");
        header(out, "Content-Type", "multipart/alternative; boundary=\"" + BOUNDARY + "\"");
        ascii(out, "\r\n");
        if (filled != null) {
            part(out, "text/plain", filled.text(), filled.values(), BlastTemplate.Mode.TEXT);
            part(out, "text/html", filled.html(), filled.values(), BlastTemplate.Mode.HTML);
        } else {
            part(out, "text/plain", r.text());
            part(out, "text/html", r.html());
        }
        ascii(out, "--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, String type, String content) {
        partHeader(out, type);
        QuotedPrintable.encode(content, out);
        ascii(out, "\r\n");
    }

    /** A part filled in from a skeleton: only the person's values are encoded here. */
    private static void part(ByteArrayOutputStream out, String type, BlastTemplate.Compiled skeleton,
                             BlastTemplate.Values values, BlastTemplate.Mode mode) {
        partHeader(out, type);
        BlastTemplate.writeQuotedPrintable(skeleton, values, mode, out);
        ascii(out, "\r\n");
    }

    private static void partHeader(ByteArrayOutputStream out, String type) {
        ascii(out, "--" + BOUNDARY + "\r\nContent-Type: " + type
                + "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
    }

    private record Stamp(long second, String text) {
    }

    private static volatile Stamp date = new Stamp(-1, "");

    /** The Date header's value, formatted once a second rather than once per email. */
    private static String date() {
        long now = System.currentTimeMillis();
        Stamp s = date;
        if (s.second() != now / 1000) {
            s = new Stamp(now / 1000, DATES.get().format(new Date(now / 1000 * 1000)));
            date = s;
        }
        return s.text();
    }

    /** One header, folded at whitespace so no line passes 78 characters where it can be helped. */
    private static void header(ByteArrayOutputStream out, String name, String value) {
        // Most headers fit on a line; folding scans and copies the value, so only long ones pay for it.
        boolean fits = name.length() + 2 + value.length() <= 76 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0;
        ascii(out, name + ": " + (fits ? value : fold(name.length() + 2, value)) + "\r\n");
    }

    /**
     * Folds an RFC 2047-encoded (ASCII) header value before a space so lines stay within 76
     * characters where a space allows. Jakarta Mail's fold does the same through a BufferedReader
     * per call, which the profile showed as a sixth of a blast's CPU.
     */
    static String fold(int used, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) return MimeUtility.fold(used, value);
        StringBuilder sb = new StringBuilder(value.length() + 16);
        int start = 0;
        while (value.length() - start + used > 76) {
            int limit = start + 76 - used;
            int cut = value.lastIndexOf(' ', limit);
            // No space within the line: fold at the next one (a long line beats a broken word).
            if (cut <= start) cut = value.indexOf(' ', limit + 1);
            if (cut < 0) break;
            sb.append(value, start, cut).append("\r\n");
            start = cut;  // the space begins the continuation line
            used = 0;
        }
        return sb.append(value, start, value.length()).toString();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        // Header values here are already RFC 2047-encoded ASCII; UTF-8 is a no-op on them.
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A message whose bytes are final: written as they are, never re-encoded. An SMTPMessage, so it
     * can carry a VERP envelope sender without a copy.
     */
    private static final class Prepared extends SMTPMessage {
        private final byte[] bytes;
        private final InternetAddress from;
        private final InternetAddress to;

        Prepared(Session session, byte[] bytes, InternetAddress from, InternetAddress to) {
            super(session);
            this.bytes = bytes;
            this.from = from;
            this.to = to;
        }

        @Override
        public Address[] getFrom() {
            return new Address[] {from};
        }

        @Override
        public Address[] getAllRecipients() {
            return new Address[] {to};
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
            // No Bcc or Content-Length header is ever written, so the ignore list has nothing to drop.
            os.write(bytes);
        }

        @Override
        public int getSize() {
            return bytes.length;
        }
    }
}
