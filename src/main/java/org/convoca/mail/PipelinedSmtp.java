package org.convoca.mail;

import java.io.IOException;
import javax.net.ssl.SSLSocketFactory;
import org.convoca.Config;

/**
 * The blast workers' SMTP client, with command pipelining (RFC 2920). Angus Mail, which the
 * transactional outbox keeps using, has none: its sendMessage writes MAIL FROM, RCPT TO, DATA and
 * the content each on its own and waits for each reply, four writes, four reads and four wake-ups
 * of the server per email. Where the server advertises PIPELINING, one email's content and "."
 * go out in one write with the next email's MAIL, RCPT and DATA (RFC 2920 allows the content to be
 * the first "command" of a group), and their replies come back in one read: one round trip per
 * email. The replies to a group are read only when the next email is built and about to go, so
 * the server answers while the worker renders. Without PIPELINING every command waits for its
 * reply, as Angus does.
 *
 * <p>Every email given to {@link #send} is reported to the {@link Outcome} exactly once:
 * accepted only after the server's 2xx to its final "."; rejected with the reply that refused it
 * (its MAIL, RCPT, DATA or "."); or unconfirmed when the connection broke before that reply
 * came. With pipelining an email's outcome arrives during one of the next two {@link #send}s or
 * at {@link #finish}. One thread uses an instance.
 */
final class PipelinedSmtp<T> implements AutoCloseable {
    private static final byte[] NOTHING = new byte[0];

    /** An address that cannot go into an SMTP command: that email is refused before anything is written. */
    static final class BadAddress extends IllegalArgumentException {
        BadAddress(String why) {
            super(why);
        }
    }

    interface Outcome<T> {
        void accepted(T email) throws InterruptedException;

        void rejected(T email, SmtpReplies.Reply reply);

        void unconfirmed(T email, String reason);
    }

    private final SmtpWire wire;
    private final SmtpHandshake.Extensions extensions;
    private final boolean pipelining;
    private final Outcome<T> outcome;
    /** The email whose DATA got its 354 and whose content goes out with the next group. */
    private T open;
    private byte[] openContent;
    /** Why the open email is refused though its DATA was accepted (its RCPT failed): it gets a lone ".". */
    private SmtpReplies.Reply openRefusal;
    /** A transaction was refused before DATA: RSET before the next one (RFC 2920 3.1). */
    private boolean reset;
    /** Written, replies not read yet: read just before the next group is written, after the next email was built. */
    private Group<T> unread;
    private boolean broken;

    private PipelinedSmtp(SmtpHandshake.Opened opened, Outcome<T> outcome) {
        this.wire = opened.wire();
        this.extensions = opened.extensions();
        this.pipelining = extensions.has("PIPELINING");
        this.outcome = outcome;
    }

    static <T> PipelinedSmtp<T> connect(Config.Smtp cfg, SocketWatchdog sockets, SSLSocketFactory tls, String heloName,
                                        Outcome<T> outcome) throws IOException {
        return new PipelinedSmtp<>(SmtpHandshake.open(cfg, sockets, tls, heloName), outcome);
    }

    boolean pipelining() {
        return pipelining;
    }

    /**
     * Hands one email to the server: {@code content} as built (CRLF line ends), dot-stuffed here.
     *
     * @throws BadAddress an address cannot go into a command (a control character,
     *         or non-ASCII when the server lacks SMTPUTF8): nothing was written for it
     * @throws IOException the connection broke or is closing: every email not yet reported has
     *         been reported; the connection is closed
     */
    void send(String from, String to, byte[] content, T email) throws IOException, InterruptedException {
        if (broken) {
            outcome.unconfirmed(email, "SMTP connection is closed");
            throw new IOException("SMTP connection is closed");
        }
        boolean utf8 = international(from) | international(to);
        if (utf8 && !extensions.has("SMTPUTF8")) throw new BadAddress("international address, and the server lacks SMTPUTF8");
        String mail = "MAIL FROM:<" + from + ">" + (extensions.has("SIZE") ? " SIZE=" + content.length : "") + (utf8 ? " SMTPUTF8" : "");
        String rcpt = "RCPT TO:<" + to + ">";
        if (pipelining) pipelined(mail, rcpt, content, email);
        else lockstep(mail, rcpt, content, email);
    }

    /**
     * A group written whose replies are not read yet: the end of {@code ended}'s content (when
     * not null), an RSET (when {@code reset}), and {@code started}'s MAIL, RCPT and DATA.
     */
    private record Group<T>(T ended, SmtpReplies.Reply endedRefusal, boolean reset, T started, byte[] startedContent) {
    }

    private void pipelined(String mail, String rcpt, byte[] content, T email) throws IOException, InterruptedException {
        try {
            collect();
        } catch (IOException e) {
            outcome.unconfirmed(email, reason(e));
            throw e;
        }
        T previous = open;
        SmtpReplies.Reply previousRefusal = openRefusal;
        boolean resetting = reset;
        if (previous != null) wire.content(openContent);
        open = null;
        openContent = null;
        openRefusal = null;
        reset = false;
        if (resetting) wire.command("RSET");
        wire.command(mail);
        wire.command(rcpt);
        wire.command("DATA");
        try {
            wire.flush();
        } catch (IOException e) {
            shutDown();
            if (previous != null) outcome.unconfirmed(previous, reason(e));
            outcome.unconfirmed(email, reason(e));
            throw e;
        }
        // Its replies are read when the next email is ready: the server answers while that one is built.
        unread = new Group<>(previous, previousRefusal, resetting, email, content);
    }

    /** Reads the replies to the group written last, and reports what they decide. */
    private void collect() throws IOException, InterruptedException {
        Group<T> g = unread;
        if (g == null) return;
        unread = null;
        SmtpReplies.Reply end = null;
        SmtpReplies.Reply mailReply;
        SmtpReplies.Reply rcptReply;
        SmtpReplies.Reply dataReply;
        try {
            if (g.ended() != null) end = wire.read();
            // The RSET's reply says nothing the MAIL's does not: a session that cannot take mail refuses it.
            if (g.reset()) wire.read();
            mailReply = wire.read();
            rcptReply = wire.read();
            dataReply = wire.read();
        } catch (IOException e) {
            shutDown();
            if (g.ended() != null && end != null) finished(g.ended(), g.endedRefusal(), end);
            else if (g.ended() != null) outcome.unconfirmed(g.ended(), reason(e));
            outcome.unconfirmed(g.started(), reason(e));
            throw e;
        }
        SmtpReplies.Reply refusal = !mailReply.positive() ? mailReply : !rcptReply.positive() ? rcptReply : null;
        boolean closing = (end != null && end.closing()) || mailReply.closing() || rcptReply.closing() || dataReply.closing();
        if (dataReply.code() == 354 && !closing) {
            open = g.started();
            openContent = refusal == null ? g.startedContent() : NOTHING;
            openRefusal = refusal;
        } else {
            reset = true;
        }
        if (g.ended() != null) finished(g.ended(), g.endedRefusal(), end);
        if (open != g.started()) outcome.rejected(g.started(), refusal != null ? refusal : dataReply);
        if (closing) closed();
    }

    private void lockstep(String mail, String rcpt, byte[] content, T email) throws IOException, InterruptedException {
        SmtpReplies.Reply refusal;
        SmtpReplies.Reply end = null;
        try {
            if (reset) wire.ask("RSET");
            reset = false;
            refusal = wire.ask(mail);
            if (refusal.positive()) refusal = wire.ask(rcpt);
            if (refusal.positive()) refusal = wire.ask("DATA");
            if (refusal.code() == 354) {
                refusal = null;
                wire.content(content);
                wire.flush();
                end = wire.read();
            }
        } catch (IOException e) {
            throw lost(email, e);
        }
        if (refusal != null) reset = true;
        finished(email, refusal, end);
        if ((refusal != null && refusal.closing()) || (end != null && end.closing())) closed();
    }

    /** Sends the content of the email still open, if any, and reports its outcome. */
    void finish() throws IOException, InterruptedException {
        if (broken) return;
        collect();
        if (open == null) return;
        T email = open;
        SmtpReplies.Reply refusal = openRefusal;
        wire.content(openContent);
        open = null;
        openContent = null;
        openRefusal = null;
        SmtpReplies.Reply end;
        try {
            wire.flush();
            end = wire.read();
        } catch (IOException e) {
            throw lost(email, e);
        }
        finished(email, refusal, end);
        if (end.closing()) closed();
    }

    /** A NOOP round trip: false when the connection is gone (the server closed it while idle). */
    boolean alive() {
        if (broken) return false;
        if (open != null || unread != null) return true;
        try {
            return wire.ask("NOOP").code() == 250;
        } catch (IOException e) {
            shutDown();
            return false;
        }
    }

    private void finished(T email, SmtpReplies.Reply refusal, SmtpReplies.Reply end) throws InterruptedException {
        if (refusal != null) outcome.rejected(email, refusal);
        else if (end.code() >= 200 && end.code() < 300) outcome.accepted(email);
        else outcome.rejected(email, end);
    }

    /** The server said 421: it closes the connection, so this side does too. */
    private void closed() throws IOException {
        shutDown();
        T email = open;
        open = null;
        if (email != null) outcome.unconfirmed(email, "SMTP server closed the connection");
        throw new IOException("SMTP server is closing the connection (421)");
    }

    /** The connection broke while {@code email} waited for its answer: unconfirmed, and the error goes on. */
    private IOException lost(T email, IOException e) {
        shutDown();
        outcome.unconfirmed(email, reason(e));
        return e;
    }

    private void shutDown() {
        broken = true;
        wire.discard();
        wire.close();
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** True for non-ASCII; fails on characters no SMTP command may carry (a line break would start a command of its own). */
    private static boolean international(String address) {
        boolean wide = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>') throw new BadAddress("address with a line break or control character");
            if (c >= 0x80) wide = true;
        }
        return wide;
    }

    /**
     * QUIT, or (with an email not finished, whose "." must not be sent now) a plain close: the
     * emails without an outcome yet are unconfirmed.
     */
    @Override
    public void close() {
        if (broken) return;
        Group<T> g = unread;
        T email = open;
        unread = null;
        open = null;
        if (email == null && g == null) {
            try {
                wire.ask("QUIT");
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        shutDown();
        String why = "SMTP connection closed before the message was finished";
        if (email != null) outcome.unconfirmed(email, why);
        if (g != null && g.ended() != null) outcome.unconfirmed(g.ended(), why);
        if (g != null) outcome.unconfirmed(g.started(), why);
    }
}
