package org.convoca.mail.inbound;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** Handles a chunk of messages at once (one transaction for the lot), one disposition per message. */
    @FunctionalInterface
    public interface Handler {
        List<Disposition> handle(List<MimeMessage> chunk) throws Exception;
    }

    /** Bigger than any bounce or report with a returned original; bigger mail is left alone. */
    static final int MAX_SIZE = 5 * 1024 * 1024;
    /** Whole messages fetched per IMAP command; bounds the memory a poll holds at once. */
    static final int CHUNK = 50;

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
            Folder folder = store.getFolder(isImap() && url.getFile() != null && !url.getFile().isBlank() ? url.getFile() : "INBOX");
            folder.open(Folder.READ_WRITE);
            List<Message> delete = new ArrayList<>();
            List<Message> keep = new ArrayList<>();
            try {
                Message[] found = isImap() ? folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false)) : folder.getMessages();
                Message[] messages = Arrays.copyOf(found, Math.min(limit, found.length));
                // Sizes in one round trip, then whole messages a chunk at a time: a bounce inbox
                // is read in a handful of commands, not three per message.
                FetchProfile sizes = new FetchProfile();
                sizes.add(FetchProfile.Item.SIZE);
                folder.fetch(messages, sizes);
                for (int from = 0; from < messages.length; from += CHUNK) {
                    handleChunk(folder, Arrays.copyOfRange(messages, from, Math.min(messages.length, from + CHUNK)), handler, delete, keep);
                }
            } finally {
                // Whatever was handled before a failure is flagged too: its changes are committed.
                if (!delete.isEmpty()) folder.setFlags(delete.toArray(Message[]::new), new Flags(Flags.Flag.DELETED), true);
                if (!keep.isEmpty()) folder.setFlags(keep.toArray(Message[]::new), new Flags(isImap() ? Flags.Flag.SEEN : Flags.Flag.DELETED), true);
                folder.close(true);   // expunges what was flagged deleted
            }
            return delete.size() + keep.size();
        }
    }

    /** Fetches one chunk whole, hands it to the handler, and sorts its messages into delete and keep. */
    private void handleChunk(Folder folder, Message[] chunk, Handler handler, List<Message> delete, List<Message> keep)
            throws MessagingException {
        Message[] small = small(chunk);
        if (isImap()) folder.fetch(small, wholeMessages());
        for (Message m : chunk) if (m.getSize() > MAX_SIZE) keep.add(m);
        List<Message> read = new ArrayList<>(small.length);
        List<MimeMessage> copies = new ArrayList<>(small.length);
        for (Message m : small) {
            try {
                copies.add(new MimeMessage((MimeMessage) m));
                read.add(m);
            } catch (MessagingException e) {
                keep.add(m);   // unreadable: left for a person, so it cannot block the inbox
            }
        }
        List<Disposition> dispositions = handle(handler, copies);
        for (int i = 0; i < read.size(); i++) {
            (dispositions.get(i) == Disposition.DELETE || !isImap() ? delete : keep).add(read.get(i));
        }
    }

    private static Message[] small(Message[] chunk) throws MessagingException {
        List<Message> small = new ArrayList<>();
        for (Message m : chunk) if (m.getSize() <= MAX_SIZE) small.add(m);
        return small.toArray(Message[]::new);
    }

    private static FetchProfile wholeMessages() {
        FetchProfile p = new FetchProfile();
        p.add(IMAPFolder.FetchProfileItem.MESSAGE);
        return p;
    }

    private static List<Disposition> handle(Handler handler, List<MimeMessage> chunk) throws MessagingException {
        try {
            return handler.handle(chunk);
        } catch (MessagingException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MessagingException("reading a returned message", e);
        }
    }
}
