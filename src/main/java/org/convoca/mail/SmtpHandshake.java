package org.convoca.mail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.convoca.Config;

/**
 * Opens an SMTP connection with the settings {@link SmtpMailer} uses for Angus: greeting, EHLO
 * (HELO when EHLO is refused), STARTTLS and EHLO again when security is starttls (the server must
 * offer it), TLS from the start when it is tls, then AUTH PLAIN (LOGIN when PLAIN is not offered)
 * when a username is set. Reads and writes are bounded by the {@link SocketWatchdog}.
 */
final class SmtpHandshake {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What the server said it supports after EHLO (upper-case keyword to its parameters). */
    record Extensions(Map<String, String> offered) {
        static final Extensions NONE = new Extensions(Map.of());

        boolean has(String keyword) {
            return offered.containsKey(keyword);
        }

        /** The SIZE limit in bytes, or 0 when none was announced. */
        long sizeLimit() {
            try {
                return Long.parseLong(offered.getOrDefault("SIZE", "0").trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        boolean authOffers(String mechanism) {
            for (String m : offered.getOrDefault("AUTH", "").split(" ")) {
                if (m.equalsIgnoreCase(mechanism)) return true;
            }
            return false;
        }
    }

    record Opened(SmtpWire wire, Extensions extensions) {
    }

    private SmtpHandshake() {
    }

    static Opened open(Config.Smtp cfg, SocketWatchdog sockets, SSLSocketFactory tls, String heloName) throws IOException {
        String host = cfg.host().orElseThrow();
        Socket socket = sockets.createSocket();
        SmtpWire wire = null;
        try {
            socket.setTcpNoDelay(true);  // every write is a whole group of commands: nothing to coalesce
            socket.connect(new InetSocketAddress(host, cfg.port()), CONNECT_TIMEOUT_MILLIS);
            wire = new SmtpWire(socket);
            if (cfg.security() == Config.Smtp.Security.TLS) wire.startTls(tls, host, cfg.port());
            expect(wire.read(), 220, "greeting");
            Extensions ext = hello(wire, heloName);
            if (cfg.security() == Config.Smtp.Security.STARTTLS) {
                if (!ext.has("STARTTLS")) throw new IOException("SMTP server does not offer STARTTLS");
                expect(wire.ask("STARTTLS"), 220, "STARTTLS");
                wire.startTls(tls, host, cfg.port());
                ext = hello(wire, heloName);
            }
            if (cfg.username().isPresent()) login(wire, ext, cfg.username().get(), cfg.password().orElse(""));
            return new Opened(wire, ext);
        } catch (IOException | RuntimeException e) {
            if (wire != null) wire.close();
            else socket.close();
            throw e;
        }
    }

    private static Extensions hello(SmtpWire wire, String heloName) throws IOException {
        SmtpReplies.Reply r = wire.ask("EHLO " + heloName);
        if (r.code() != 250) {
            expect(wire.ask("HELO " + heloName), 250, "HELO");
            return Extensions.NONE;
        }
        Map<String, String> offered = new HashMap<>();
        List<String> lines = r.lines();
        for (String line : lines.subList(1, lines.size())) {
            String[] kv = line.strip().split("[ =]", 2);
            offered.merge(kv[0].toUpperCase(Locale.ROOT), kv.length > 1 ? kv[1] : "", (a, b) -> a + " " + b);
        }
        return new Extensions(Map.copyOf(offered));
    }

    private static void login(SmtpWire wire, Extensions ext, String user, String password) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        if (ext.authOffers("PLAIN")) {
            String token = b64.encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            expect(wire.ask("AUTH PLAIN " + token), 235, "AUTH PLAIN");
        } else if (ext.authOffers("LOGIN")) {
            expect(wire.ask("AUTH LOGIN"), 334, "AUTH LOGIN");
            expect(wire.ask(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8))), 334, "AUTH LOGIN");
            expect(wire.ask(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8))), 235, "AUTH LOGIN");
        } else {
            throw new IOException("SMTP server offers neither AUTH PLAIN nor AUTH LOGIN");
        }
    }

    /** Fails unless the reply has the code; the reply's text goes into the message, never what was sent. */
    private static void expect(SmtpReplies.Reply r, int code, String step) throws IOException {
        if (r.code() != code) throw new IOException("SMTP " + step + " refused: " + r);
    }

    private static volatile String localName;

    /** The name for EHLO, as Angus picks it: this machine's canonical host name (an address in brackets). */
    static String localName() {
        String name = localName;
        if (name != null) return name;
        try {
            InetAddress local = InetAddress.getLocalHost();
            name = local.getCanonicalHostName();
            if (name.equals(local.getHostAddress())) name = "[" + name + "]";
        } catch (IOException e) {
            name = "localhost";
        }
        localName = name;
        return name;
    }
}
