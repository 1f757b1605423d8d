package org.convoca.mail;

import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * Builds the MIME message of one blast delivery: multipart text + HTML in UTF-8, a Message-ID of
 * its own, and the RFC 2369 / RFC 8058 unsubscribe headers (an https link that unsubscribes on a
 * POST, and a mailto), then DKIM-signs it when a key is configured.
 */
final class BlastEmail {
    private BlastEmail() {
    }

    /**
     * A UTF-8 part encoded here as quoted-printable: handing Jakarta Mail a finished body skips its
     * DataHandler lookups and the scan that picks an encoding, which cost more than rendering.
     */
    private static MimeBodyPart part(String type, String content) throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        headers.setHeader("Content-Type", type + "; charset=UTF-8");
        headers.setHeader("Content-Transfer-Encoding", "quoted-printable");
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length() + content.length() / 8 + 64);
        try (OutputStream qp = MimeUtility.encode(out, "quoted-printable")) {
            qp.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MessagingException("encoding", e);
        }
        return new MimeBodyPart(headers, out.toByteArray());
    }

    static MimeMessage build(Session session, BlastRenderer.Rendered r, String to, String toName,
                             Mailer.Sender from, String replyTo, String messageId, Dkim dkim)
            throws MessagingException, UnsupportedEncodingException {
        // An SMTPMessage, so a VERP envelope sender can be set on it (inbound.ReturnPath) without a copy.
        MimeMessage msg = new org.eclipse.angus.mail.smtp.SMTPMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        msg.setFrom(new InternetAddress(from.address(), SmtpMailer.oneLine(from.name()), "UTF-8"));
        msg.setRecipient(RecipientType.TO, new InternetAddress(to, SmtpMailer.oneLine(toName), "UTF-8"));
        if (replyTo != null && !replyTo.isBlank()) msg.setReplyTo(new Address[] {new InternetAddress(replyTo, true)});
        msg.setSubject(SmtpMailer.oneLine(r.subject()), "UTF-8");
        msg.setHeader("List-Unsubscribe", "<" + r.unsubscribeUrl() + ">, <mailto:" + from.address()
                + "?subject=unsubscribe>");
        msg.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        msg.setHeader("Precedence", "bulk");
        msg.setContent(new MimeMultipart("alternative", part("text/plain", r.text()), part("text/html", r.html())));
        msg.setSentDate(new Date());
        msg.saveChanges();
        return dkim == null ? msg : dkim.sign(msg);
    }
}
