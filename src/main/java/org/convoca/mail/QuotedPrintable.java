package org.convoca.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable (RFC 2045 §6.7) of a UTF-8 text, over a byte array in one pass. Jakarta Mail's
 * encoder works through a stream one byte at a time, and profiling a blast showed it as the
 * largest single cost per email; this produces the same encoding: lines of at most 76
 * characters with soft breaks, CRLF line ends, '=' and non-ASCII bytes as =XX, and a space or
 * tab before a line end encoded so that no transport strips it.
 */
final class QuotedPrintable {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 76;

    private QuotedPrintable() {
    }

    /**
     * The end of the line starting at {@code from} when it can be copied unencoded: at most 76
     * bytes, all printable ASCII but '=', not ending in a space or tab; else {@code from}.
     */
    private static int plainLineEnd(byte[] in, int from) {
        int max = Math.min(in.length, from + MAX_LINE + 1);
        int j = from;
        while (j < max) {
            int b = in[j];
            if (b == '\r' || b == '\n') break;
            if (b < 32 && b != '\t' || b > 126 || b == '=') return from;
            j++;
        }
        if (j == from || j - from > MAX_LINE) return from;
        if (j < in.length && in[j] != '\r' && in[j] != '\n') return from;
        byte last = in[j - 1];
        return last == ' ' || last == '\t' ? from : j;
    }

    /** Appends the encoding of {@code text} to {@code out}; line ends become CRLF. */
    static void encode(String text, ByteArrayOutputStream out) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[in.length * 4 + 16];  // worst case: every byte =XX plus soft breaks
        int n = 0;
        int col = 0;
        for (int i = 0; i < in.length; i++) {
            if (col == 0) {
                // Most lines of a rendered email are short and plain ASCII: copied as they are.
                int end = plainLineEnd(in, i);
                if (end > i) {
                    System.arraycopy(in, i, buf, n, end - i);
                    n += end - i;
                    i = end - 1;
                    col = MAX_LINE;  // whatever follows on this line needs a soft break first; a line end resets it
                    continue;
                }
            }
            int b = in[i] & 0xff;
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') i++;
                buf[n++] = '\r';
                buf[n++] = '\n';
                col = 0;
                continue;
            }
            boolean lineEndFollows = i + 1 == in.length || in[i + 1] == '\r' || in[i + 1] == '\n';
            boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !lineEndFollows);
            int width = literal ? 1 : 3;
            // Keep room for a soft break "=" unless this is the last character of its line.
            int room = lineEndFollows ? MAX_LINE : MAX_LINE - 1;
            if (col + width > room) {
                buf[n++] = '=';
                buf[n++] = '\r';
                buf[n++] = '\n';
                col = 0;
            }
            if (literal) {
                buf[n++] = (byte) b;
            } else {
                buf[n++] = '=';
                buf[n++] = HEX[b >> 4];
                buf[n++] = HEX[b & 0xf];
            }
            col += width;
        }
        out.write(buf, 0, n);
    }
}
