package org.convoca.mail;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.convoca.Config;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Delivers outbox rows over SMTP with Jakarta Mail (Angus), one connection per batch. A 5xx reply
 * is a permanent failure; anything else (4xx, connection trouble) is temporary and retried.
 */
public final class SmtpMailer implements Mailer {
    static {
        // Jakarta Mail looks its stream provider up with ServiceLoader (a class-path scan) on every
        // message written unless this property names it; that scan cost more than rendering a blast.
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);
    private final Config.Smtp smtp;
    private final Session session;
    private final String messageIdDomain;
    private final SocketWatchdog sockets;

    public SmtpMailer(Config.Smtp smtp, String messageIdDomain) {
        this(smtp, messageIdDomain, TIMEOUT);
    }

    /** A read or write that takes longer than {@code timeout} fails (see {@link SocketWatchdog}). */
    SmtpMailer(Config.Smtp smtp, String messageIdDomain, java.time.Duration timeout) {
        this.smtp = smtp;
        this.messageIdDomain = messageIdDomain;
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp.host().orElseThrow());
        p.put("mail.smtp.port", String.valueOf(smtp.port()));
        p.put("mail.smtp.connectiontimeout", "10000");
        // Not mail.smtp.timeout and mail.smtp.writetimeout: at blast rates they cost a tenth of the
        // machine (a timer task per write, a poll per read); the watchdog keeps both limits.
        this.sockets = new SocketWatchdog(timeout);
        p.put("mail.smtp.socketFactory", sockets);
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.mime.charset", "UTF-8");
        if (smtp.username().isPresent()) p.put("mail.smtp.auth", "true");
        switch (smtp.security()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case TLS -> p.put("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        if (smtp.security() != Config.Smtp.Security.NONE) p.put("mail.smtp.ssl.checkserveridentity", "true");
        this.session = Session.getInstance(p);
    }

    /** A connection for a sender that keeps it open across many messages (blasts). */
    Transport connect() throws MessagingException {
        Transport transport = session.getTransport("smtp");
        transport.connect(smtp.host().orElseThrow(), smtp.port(), smtp.username().orElse(null), smtp.password().orElse(null));
        return transport;
    }

    /** A pipelining connection with the same settings, for blast workers ({@link PipelinedSmtp}). */
    <T> PipelinedSmtp<T> pipelined(PipelinedSmtp.Outcome<T> outcome) throws java.io.IOException {
        return PipelinedSmtp.connect(smtp, sockets, (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault(),
                SmtpHandshake.localName(), outcome);
    }

    Session session() {
        return session;
    }

    @Override
    public List<Result> send(List<OutboxMessage> batch, Sender from) {
        List<Result> results = new ArrayList<>();
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(smtp.host().orElseThrow(), smtp.port(), smtp.username().orElse(null), smtp.password().orElse(null));
            for (OutboxMessage m : batch) {
                results.add(sendOne(transport, m, from));
            }
        } catch (MessagingException e) {
            // Could not connect or the connection broke: whatever was not sent is retried later.
            for (OutboxMessage m : batch.subList(results.size(), batch.size())) {
                results.add(new Result(m.id(), null, new MailException("SMTP connection: " + e.getMessage(), false, e)));
            }
        }
        return results;
    }

    private Result sendOne(Transport transport, OutboxMessage m, Sender from) {
        try {
            String messageId = "<" + UUID.randomUUID() + "@" + messageIdDomain + ">";
            MimeMessage msg = build(m, from, messageId);
            transport.sendMessage(msg, msg.getAllRecipients());
            return new Result(m.id(), messageId, null);
        } catch (SMTPAddressFailedException e) {
            return new Result(m.id(), null, new MailException(e.getMessage(), e.getReturnCode() >= 500, e));
        } catch (SMTPSendFailedException e) {
            return new Result(m.id(), null, new MailException(e.getMessage(), e.getReturnCode() >= 500, e));
        } catch (MessagingException | UnsupportedEncodingException | IllegalArgumentException e) {
            boolean badAddress = e instanceof jakarta.mail.internet.AddressException;
            return new Result(m.id(), null, new MailException(String.valueOf(e.getMessage()), badAddress, e));
        }
    }

    MimeMessage build(OutboxMessage m, Sender from, String messageId)
            throws MessagingException, UnsupportedEncodingException {
        MimeMessage msg = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        String fromAddress = m.fromAddress() != null ? m.fromAddress() : from.address();
        String fromName = m.fromName() != null ? m.fromName() : from.name();
        msg.setFrom(new InternetAddress(fromAddress, oneLine(fromName), "UTF-8"));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.toAddress(), oneLine(m.toName()), "UTF-8"));
        if (m.replyTo() != null && !m.replyTo().isBlank()) {
            msg.setReplyTo(new Address[] {new InternetAddress(m.replyTo(), true)});
        }
        msg.setSubject(oneLine(m.subject()), "UTF-8");
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            msg.setHeader(oneLine(h.getKey()), oneLine(h.getValue()));
        }
        if (m.htmlBody() == null || m.htmlBody().isBlank()) {
            msg.setText(m.textBody(), "UTF-8");
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(m.textBody(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(m.htmlBody(), "UTF-8", "html");
            msg.setContent(new MimeMultipart("alternative", text, html));
        }
        msg.setSentDate(new java.util.Date());
        msg.saveChanges();
        return msg;
    }

    /** Header values are one line: CR and LF can never start a new header. */
    static String oneLine(String s) {
        if (s == null) return "";
        // String.replaceAll compiles its pattern on every call: a blast calls this per email.
        return (s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : LINE_BREAKS.matcher(s).replaceAll(" ")).strip();
    }

    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("[\\r\\n]+");
}
