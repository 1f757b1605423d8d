package org.convoca.mail.inbound;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * The bounce inbox over IMAP or POP3 (Angus Mail), named by a URL such as
 * {@code imaps://bounces%40example.org:secret@mail.example.org/INBOX} or {@code pop3://user:pw@host:110}.
 * Mail the handler acted on is deleted. Mail it did not recognise stays for a person to read: on
 * IMAP it is flagged \Seen so it is not read again; POP3 has no flags to remember that by, so
 * there it is deleted too (point POP3 only at a mailbox that receives nothing but returned mail).
 */
public final class Mailbox {
    /** What to do with a message once handled. */
    public enum Disposition { DELETE, KEEP }

    @FunctionalInterface
    public interface Handler {
        Disposition handle(MimeMessage msg) throws Exception;
    }

    /** Bigger than any bounce or report with a returned original; bigger mail is left alone. */
    static final int MAX_SIZE = 5 * 1024 * 1024;

    private final URLName url;
    private final Session session;

    public Mailbox(URLName url) {
        String protocol = url.getProtocol() == null ? "" : url.getProtocol().toLowerCase(Locale.ROOT);
        if (!Arrays.asList("imap", "imaps", "pop3", "pop3s").contains(protocol) || url.getHost() == null) {
            throw new IllegalArgumentException("BOUNCE_MAILBOX_URL must be imap://, imaps://, pop3:// or pop3s:// with a host");
        }
        this.url = url;
        Properties p = new Properties();
        for (String proto : new String[] {"imap", "imaps", "pop3", "pop3s"}) {
            p.put("mail." + proto + ".connectiontimeout", "10000");
            p.put("mail." + proto + ".timeout", "30000");
            p.put("mail." + proto + ".writetimeout", "30000");
            if (proto.endsWith("s")) p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(p);
    }

    boolean isImap() {
        return url.getProtocol().toLowerCase(Locale.ROOT).startsWith("imap");
    }

    /** Where the inbox is, without the password, for logs. */
    public String describe() {
        return url.getProtocol() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    /** Reads up to {@code limit} unread messages, hands each to the handler; returns how many were handled. */
    public int poll(int limit, Handler handler) throws MessagingException {
        try (Store store = session.getStore(url)) {
            store.connect();
            Folder folder = isImap() ? store.getFolder(url.getFile() == null || url.getFile().isBlank() ? "INBOX" : url.getFile())
                    : store.getFolder("INBOX");   // POP3 has only INBOX
            folder.open(Folder.READ_WRITE);
            int handled = 0;
            try {
                Message[] messages = isImap() ? folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false)) : folder.getMessages();
                for (Message m : Arrays.copyOf(messages, Math.min(limit, messages.length))) {
                    if (m.getSize() > MAX_SIZE) {
                        m.setFlag(isImap() ? Flags.Flag.SEEN : Flags.Flag.DELETED, true);
                        continue;
                    }
                    // One fetch of the whole message, then parsed locally (no round trip per part).
                    Disposition d = handle(handler, new MimeMessage((MimeMessage) m));
                    if (d == Disposition.DELETE || !isImap()) m.setFlag(Flags.Flag.DELETED, true);
                    else m.setFlag(Flags.Flag.SEEN, true);
                    handled++;
                }
            } finally {
                folder.close(true);   // expunges what was flagged deleted
            }
            return handled;
        }
    }

    private static Disposition handle(Handler handler, MimeMessage msg) throws MessagingException {
        try {
            return handler.handle(msg);
        } catch (MessagingException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MessagingException("reading a returned message", e);
        }
    }
}
