package org.convoca.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server that records how commands arrive: each line is tagged with the socket
 * read that brought it, so a test can tell a pipelined group (one read) from lockstep (one read
 * per command). Like Postfix, it writes its replies when it has handled all input it has, so a
 * group's replies go back together. Replies can be scripted per recipient (a substring of the
 * address): at RCPT, at the final ".", or a dropped connection at the ".". Every received message
 * is kept un-stuffed, as the server's mailbox would hold it.
 */
final class PipeliningSmtpServer implements AutoCloseable {
    /** A line as it arrived: its connection, the read that brought it, its text ("." for the end of a message), over TLS or not. */
    record Line(int connection, int read, String text, boolean tls) {
    }

    record Received(String from, String mailParameters, List<String> to, byte[] content) {
    }

    final List<Line> lines = new CopyOnWriteArrayList<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    /** The credentials of each AUTH, decoded ("user:password"). */
    final List<String> logins = new CopyOnWriteArrayList<>();
    final Map<String, String> atRcpt = new ConcurrentHashMap<>();
    final Map<String, String> atEnd = new ConcurrentHashMap<>();
    final List<String> dropAtEnd = new CopyOnWriteArrayList<>();
    /** Answer DATA with 354 even when every recipient was refused (RFC 2920 says clients must cope). */
    volatile boolean dataWithoutRecipients;
    /** With a context, STARTTLS is answered and the connection upgraded with its certificate. */
    volatile javax.net.ssl.SSLContext tls;
    /** TLS from the first byte (SMTP_SECURITY=tls) instead of STARTTLS. */
    volatile boolean implicitTls;
    private final List<String> extensions;
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** {@code extensions}: the EHLO lines after the greeting, e.g. "PIPELINING", "AUTH PLAIN LOGIN". */
    PipeliningSmtpServer(String... extensions) throws IOException {
        this.extensions = List.of(extensions);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    int n = connections.incrementAndGet();
                    Thread c = new Thread(() -> new Session(s, n).run(), "pipelining-smtp");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "pipelining-smtp-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    org.convoca.Config.Smtp config() {
        return new org.convoca.Config.Smtp(java.util.Optional.of("127.0.0.1"), port(), java.util.Optional.empty(),
                java.util.Optional.empty(), org.convoca.Config.Smtp.Security.NONE);
    }

    /** The command lines of one connection, grouped by the read that brought them. */
    List<List<String>> groups(int connection) {
        List<List<String>> groups = new ArrayList<>();
        int last = -1;
        for (Line l : lines) {
            if (l.connection() != connection) continue;
            if (l.read() != last) groups.add(new ArrayList<>());
            groups.get(groups.size() - 1).add(l.text());
            last = l.read();
        }
        return groups;
    }

    private final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean upgraded;
        private final int connection;
        private final ByteArrayOutputStream replies = new ByteArrayOutputStream();
        private String from;
        private String parameters;
        private final List<String> to = new ArrayList<>();
        private ByteArrayOutputStream content;
        private String login;
        private int reads;
        private boolean sawDataInThisRead;
        private int commandsInThisRead;

        Session(Socket socket, int connection) {
            this.socket = socket;
            this.connection = connection;
        }

        void run() {
            try (Socket plain = socket) {
                in = socket.getInputStream();
                out = socket.getOutputStream();
                if (implicitTls) upgrade();
                reply("220 pipelining.test ESMTP");
                flush(out);
                byte[] buf = new byte[1 << 16];
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    reads++;
                    sawDataInThisRead = false;
                    commandsInThisRead = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != '\n') {
                            line.write(buf[i]);
                            continue;
                        }
                        byte[] l = line.toByteArray();
                        line.reset();
                        int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
                        if (!handle(new String(l, 0, len, StandardCharsets.UTF_8), l, len)) return;
                        if (upgraded) {
                            // The client waits for the 220 before its handshake: nothing follows STARTTLS here.
                            upgraded = false;
                            break;
                        }
                    }
                    flush(out);
                }
            } catch (IOException e) {
                // the client went away, or close()
            }
        }

        /** False when the connection is to end. */
        private boolean handle(String text, byte[] raw, int len) throws IOException {
            if (content != null) return contentLine(text, raw, len);
            lines.add(new Line(connection, reads, text, socket instanceof javax.net.ssl.SSLSocket));
            if (sawDataInThisRead) violations.add("a command after DATA in the same group: " + text);
            commandsInThisRead++;
            if (commandsInThisRead > 1 && !extensions.contains("PIPELINING")) violations.add("pipelined without PIPELINING: " + text);
            if (login != null) return loginStep(text);
            String verb = text.length() >= 4 ? text.substring(0, 4).toUpperCase() : text.toUpperCase();
            switch (verb) {
                case "EHLO" -> {
                    if (extensions.isEmpty()) reply("250 pipelining.test");
                    else reply("250-pipelining.test");
                    for (int i = 0; i < extensions.size(); i++) reply((i == extensions.size() - 1 ? "250 " : "250-") + extensions.get(i));
                }
                case "AUTH" -> {
                    String[] words = text.split(" ");
                    if (words[1].equalsIgnoreCase("PLAIN")) {
                        String[] parts = new String(Base64.getDecoder().decode(words[2]), StandardCharsets.UTF_8).split("\0", -1);
                        logins.add(parts[1] + ":" + parts[2]);
                        reply("235 2.7.0 accepted");
                    } else {
                        login = "";
                        reply("334 VXNlcm5hbWU6");
                    }
                }
                case "MAIL" -> {
                    int close = text.indexOf('>');
                    from = text.substring(text.indexOf('<') + 1, close);
                    parameters = text.substring(close + 1).strip();
                    to.clear();
                    reply("250 2.1.0 ok");
                }
                case "RCPT" -> {
                    String address = text.substring(text.indexOf('<') + 1, text.indexOf('>'));
                    String scripted = scripted(atRcpt, address);
                    if (scripted == null) to.add(address);
                    reply(scripted != null ? scripted : "250 2.1.5 ok");
                }
                case "DATA" -> {
                    sawDataInThisRead = true;
                    if (to.isEmpty() && !dataWithoutRecipients) {
                        reply("554 5.5.1 no valid recipients");
                    } else {
                        content = new ByteArrayOutputStream();
                        reply("354 go ahead");
                    }
                }
                case "RSET" -> {
                    to.clear();
                    reply("250 2.0.0 ok");
                }
                case "QUIT" -> {
                    reply("221 bye");
                    flush(out);
                    return false;
                }
                case "STAR" -> {
                    if (tls == null) {
                        reply("502 5.5.1 not offered");
                    } else {
                        reply("220 2.0.0 go ahead");
                        flush(out);
                        upgrade();
                        upgraded = true;
                    }
                }
                default -> reply("250 ok");
            }
            return true;
        }

        private void upgrade() throws IOException {
            var ssl = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            socket = ssl;
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
        }

        private boolean contentLine(String text, byte[] raw, int len) throws IOException {
            if (!text.equals(".")) {
                // A line starting with "." had one more added by the client (dot-stuffing).
                int skip = len > 0 && raw[0] == '.' ? 1 : 0;
                content.write(raw, skip, len - skip);
                content.write('\r');
                content.write('\n');
                return true;
            }
            lines.add(new Line(connection, reads, ".", socket instanceof javax.net.ssl.SSLSocket));
            byte[] message = content.toByteArray();
            content = null;
            String address = to.isEmpty() ? "" : to.get(0);
            for (String d : dropAtEnd) {
                if (address.contains(d)) {
                    socket.close();
                    return false;
                }
            }
            String scripted = scripted(atEnd, address);
            if (to.isEmpty()) {
                reply("554 5.5.1 no valid recipients");
            } else if (scripted != null) {
                reply(scripted);
            } else {
                received.add(new Received(from, parameters, List.copyOf(to), message));
                reply("250 2.0.0 queued");
            }
            to.clear();
            return true;
        }

        private boolean loginStep(String text) {
            String decoded = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            if (login.isEmpty()) {
                login = decoded + ":";
                reply("334 UGFzc3dvcmQ6");
            } else {
                logins.add(login + decoded);
                login = null;
                reply("235 2.7.0 accepted");
            }
            return true;
        }

        private void reply(String line) {
            replies.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        private void flush(OutputStream out) throws IOException {
            if (replies.size() == 0) return;
            out.write(replies.toByteArray());
            out.flush();
            replies.reset();
        }
    }

    private static String scripted(Map<String, String> replies, String address) {
        for (var e : replies.entrySet()) {
            if (address.contains(e.getKey())) return e.getValue();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
