package org.convoca.mail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SMTP replies (RFC 5321 4.2: a three-digit code, "-" on every line but the last) from a
 * connection, with a buffer of its own: the replies to a pipelined group usually arrive in one
 * read. Nothing here waits for more than one reply's lines; the socket's watchdog bounds each read.
 */
final class SmtpReplies {
    /** RFC 5321 allows 512 bytes a reply line; servers write longer ones, so a generous bound. */
    private static final int MAX_LINE = 8192;
    private static final int MAX_TEXT = 1000;
    private final InputStream in;
    private final byte[] buf = new byte[MAX_LINE];
    private int pos;
    private int lim;

    SmtpReplies(InputStream in) {
        this.in = in;
    }

    /** One reply: its code and its text (the lines after the code, joined by a space, at most 1,000 characters). */
    record Reply(int code, String text, List<String> lines) {
        boolean positive() {
            return code >= 200 && code < 400;
        }

        /** 421: the server is closing the connection (RFC 5321 3.8). */
        boolean closing() {
            return code == 421;
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>(1);
        int code;
        while (true) {
            String line = line();
            if (line.length() < 3) throw new IOException("malformed SMTP reply");
            int c = code(line);
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                code = c;
                break;
            }
            if (line.charAt(3) != '-') throw new IOException("malformed SMTP reply");
        }
        String text = lines.size() == 1 ? lines.get(0) : String.join(" ", lines);
        return new Reply(code, text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text, lines);
    }

    private static int code(String line) throws IOException {
        int c = 0;
        for (int i = 0; i < 3; i++) {
            char d = line.charAt(i);
            if (d < '0' || d > '9') throw new IOException("malformed SMTP reply");
            c = c * 10 + (d - '0');
        }
        return c;
    }

    /** The next line without its CRLF (a bare LF ends a line too). */
    private String line() throws IOException {
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    return line;
                }
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) throw new IOException("SMTP reply line too long");
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) throw new EOFException("SMTP server closed the connection");
            lim += n;
        }
    }
}
