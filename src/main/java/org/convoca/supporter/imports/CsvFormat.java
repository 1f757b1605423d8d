package org.convoca.supporter.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How a spreadsheet saved its CSV: UTF-8 with or without a byte-order mark, or Windows-1252 (Excel
 * on Windows, "CSV" not "CSV UTF-8"); comma-, semicolon- (Excel in Spanish locales) or tab-separated.
 * Read from the first 64 KB.
 */
public record CsvFormat(Charset charset, int bomLength, char separator) {
    static final int SAMPLE = 64 * 1024;
    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    public static CsvFormat sniff(byte[] sample, int length) {
        int bom = 0;
        Charset cs;
        if (length >= 3 && (sample[0] & 0xff) == 0xEF && (sample[1] & 0xff) == 0xBB && (sample[2] & 0xff) == 0xBF) {
            bom = 3;
            cs = StandardCharsets.UTF_8;
        } else if (length >= 2 && (sample[0] & 0xff) == 0xFF && (sample[1] & 0xff) == 0xFE) {
            bom = 2;
            cs = StandardCharsets.UTF_16LE;
        } else if (length >= 2 && (sample[0] & 0xff) == 0xFE && (sample[1] & 0xff) == 0xFF) {
            bom = 2;
            cs = StandardCharsets.UTF_16BE;
        } else {
            cs = isUtf8(sample, length) ? StandardCharsets.UTF_8 : WINDOWS_1252;
        }
        String text = new String(sample, bom, Math.max(0, length - bom), cs);
        return new CsvFormat(cs, bom, separator(text));
    }

    public static CsvFormat of(String charset, String separator) {
        Charset cs = Charset.forName(charset);
        return new CsvFormat(cs, 0, separator.isEmpty() ? ',' : separator.charAt(0));
    }

    /** A reader over the stream with the format's charset, skipping a byte-order mark. */
    public static Reader reader(InputStream in, Charset charset) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(4);
        byte[] head = b.readNBytes(3);
        b.reset();
        int skip = 0;
        if (head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) skip = 3;
        else if (head.length >= 2 && ((head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE || (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF)) skip = 2;
        b.skipNBytes(skip);
        return new InputStreamReader(b, charset);
    }

    public static byte[] sample(InputStream in) throws IOException {
        return in.readNBytes(SAMPLE);
    }

    static boolean isUtf8(byte[] sample, int length) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        // The sample may end inside a multi-byte character: drop up to 3 trailing bytes of one.
        int end = length;
        int back = 0;
        while (end > 0 && back < 3 && (sample[end - 1] & 0xC0) == 0x80) {
            end--;
            back++;
        }
        if (end > 0 && (sample[end - 1] & 0xC0) == 0xC0) end--;
        try {
            d.decode(ByteBuffer.wrap(sample, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The separator that splits the header line most: comma, semicolon or tab, outside quotes. */
    static char separator(String text) {
        int comma = 0;
        int semi = 0;
        int tab = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '\n' || c == '\r')) break;
            else if (!quoted && c == ',') comma++;
            else if (!quoted && c == ';') semi++;
            else if (!quoted && c == '\t') tab++;
        }
        if (semi > comma && semi >= tab) return ';';
        if (tab > comma && tab > semi) return '\t';
        return ',';
    }
}
