package org.convoca.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One SMTP connection's bytes: commands and message content are gathered in a buffer and written
 * with one write per group ({@link #flush}), replies read through {@link SmtpReplies}. Content is
 * dot-stuffed on the way into the buffer (RFC 5321 4.5.2) by bulk copies between line starts.
 */
final class SmtpWire implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};
    private Socket socket;
    private OutputStream out;
    private SmtpReplies replies;
    private byte[] buf = new byte[16384];
    private int len;

    SmtpWire(Socket socket) throws IOException {
        use(socket);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        out = s.getOutputStream();
        replies = new SmtpReplies(s.getInputStream());
    }

    /**
     * Layers TLS over the connection (after STARTTLS, or at once for implicit TLS) and checks that
     * the certificate names {@code host}, as a browser would (the "HTTPS" identification rules).
     */
    void startTls(SSLSocketFactory tls, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        use(ssl);
    }

    /** Appends a command line (its CRLF added here). */
    void command(String line) {
        put(line.getBytes(StandardCharsets.UTF_8));
        put(CRLF, 0, 2);
    }

    /**
     * Appends message content and the final "." line: a line that starts with "." gets one more,
     * a bare LF becomes CRLF, and the content ends with CRLF before the ".". Empty content gives
     * the lone "." that ends a transaction whose recipients were all refused (RFC 2920 3.1).
     */
    void content(byte[] c) {
        int start = 0;
        boolean lineStart = true;
        for (int i = 0; i < c.length; i++) {
            byte b = c[i];
            if (lineStart && b == '.') {
                put(c, start, i - start);
                put(END, 0, 1);
                start = i;
            }
            if (b == '\n' && (i == 0 || c[i - 1] != '\r')) {
                put(c, start, i - start);
                put(CRLF, 0, 1);
                start = i;
            }
            lineStart = b == '\n';
        }
        put(c, start, c.length - start);
        if (c.length > 0 && !(len >= 2 && buf[len - 2] == '\r' && buf[len - 1] == '\n')) put(CRLF, 0, 2);
        put(END, 0, 3);
    }

    /** Writes what was gathered in one write. */
    void flush() throws IOException {
        if (len == 0) return;
        out.write(buf, 0, len);
        out.flush();
        len = 0;
        // A DKIM-signed or unusually long email grew the buffer; it is not kept that large.
        if (buf.length > 1 << 20) buf = new byte[16384];
    }

    /** Drops what was gathered and not written. */
    void discard() {
        len = 0;
    }

    SmtpReplies.Reply read() throws IOException {
        return replies.read();
    }

    /** One command in lockstep: written, then its reply read. */
    SmtpReplies.Reply ask(String line) throws IOException {
        command(line);
        flush();
        return read();
    }

    private void put(byte[] b) {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int off, int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
