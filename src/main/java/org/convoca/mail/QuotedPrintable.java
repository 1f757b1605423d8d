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

    /** A text encoded on its own from column 0, and the column where its last line ends. */
    record Piece(byte[] bytes, int endColumn) {
    }

    /**
     * Encodes a fixed part of a text once, so that each email only encodes what differs. With
     * {@code lastOfPart} false a value follows it on the same line ({@link #value}).
     */
    static Piece piece(String text, boolean lastOfPart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 11 / 10 + 8);
        int col = encode(text.getBytes(StandardCharsets.UTF_8), 0, out, lastOfPart);
        return new Piece(out.toByteArray(), col);
    }

    /**
     * Appends a value that continues a line at {@code column}, then a soft line break, so the
     * next {@link Piece} starts at column 0 as it was encoded. The decoded text is the same as
     * encoding piece, value and piece in one go (one difference: a value ending in a lone CR
     * before a piece starting with LF decodes as two line breaks, not one).
     */
    static void value(String value, int column, ByteArrayOutputStream out) {
        encode(value.getBytes(StandardCharsets.UTF_8), column, out, false);
        out.write('=');
        out.write('\r');
        out.write('\n');
    }

    /**
     * The end of the line starting at {@code from} when it can be copied unencoded: at most 76
     * bytes, all printable ASCII but '=', not ending in a space or tab; else {@code from}.
     */
    private static int plainLineEnd(byte[] in, int from, boolean endIsLineEnd) {
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
        // A value follows the last line on the same line: the byte loop leaves room for its soft break.
        if (j == in.length && !endIsLineEnd) return from;
        byte last = in[j - 1];
        return last == ' ' || last == '\t' ? from : j;
    }

    /** Appends the encoding of {@code text} to {@code out}; line ends become CRLF. */
    static void encode(String text, ByteArrayOutputStream out) {
        encode(text.getBytes(StandardCharsets.UTF_8), 0, out, true);
    }

    /**
     * Appends the encoding of {@code in}, its first line continuing at {@code col}; returns the
     * column where it ends. {@code endIsLineEnd} false: more follows on the last line, so its last
     * byte may stay a literal space and at least one column is left for a soft break.
     */
    private static int encode(byte[] in, int col, ByteArrayOutputStream out, boolean endIsLineEnd) {
        byte[] buf = new byte[in.length * 4 + 16];  // worst case: every byte =XX plus soft breaks
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (col == 0) {
                // Most lines of a rendered email are short and plain ASCII: copied as they are.
                int end = plainLineEnd(in, i, endIsLineEnd);
                if (end > i) {
                    System.arraycopy(in, i, buf, n, end - i);
                    n += end - i;
                    i = end - 1;
                    col = MAX_LINE;  // a line end follows (or the text ends), which resets it
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
            boolean lineEndFollows = i + 1 == in.length ? endIsLineEnd : in[i + 1] == '\r' || in[i + 1] == '\n';
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
        return col;
    }
}
