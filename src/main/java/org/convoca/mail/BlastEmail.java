package org.convoca.mail;

import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.util.Date;

/**
 * Builds the MIME message of one blast delivery: multipart text + HTML in UTF-8, a Message-ID of
 * its own, and the RFC 2369 / RFC 8058 unsubscribe headers (an https link that unsubscribes on a
 * POST, and a mailto), then DKIM-signs it when a key is configured.
 */
final class BlastEmail {
    private BlastEmail() {
    }

    static MimeMessage build(Session session, BlastRenderer.Rendered r, String to, String toName,
                             Mailer.Sender from, String replyTo, String messageId, Dkim dkim)
            throws MessagingException, UnsupportedEncodingException {
        MimeMessage msg = new MimeMessage(session) {
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
        MimeBodyPart text = new MimeBodyPart();
        text.setText(r.text(), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(r.html(), "UTF-8", "html");
        msg.setContent(new MimeMultipart("alternative", text, html));
        msg.setSentDate(new Date());
        msg.saveChanges();
        return dkim == null ? msg : dkim.sign(msg);
    }
}
