package org.convoca.supporter;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/** Phone numbers to E.164 with libphonenumber, reading national numbers in the default region. */
public final class Phones {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private Phones() {
    }

    /** The E.164 form, or empty when the input is not a possible number. */
    public static Optional<String> normalize(String input, String defaultRegion) {
        if (input == null || input.isBlank() || input.length() > 40) return Optional.empty();
        String nanp = nanpDigits(input, defaultRegion);
        if (nanp != null) {
            // libphonenumber's parse() (regular expressions over the whole input) is most of its cost;
            // for the common North American shapes the number is known without it, and validity is
            // still libphonenumber's own check on the same number parse() would have produced.
            Phonenumber.PhoneNumber n = new Phonenumber.PhoneNumber().setCountryCode(1).setNationalNumber(Long.parseLong(nanp));
            return UTIL.isValidNumber(n) ? Optional.of("+1" + nanp) : Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(input.strip(), defaultRegion);
            if (!UTIL.isPossibleNumber(n) || !UTIL.isValidNumber(n)) return Optional.empty();
            return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The ten national digits of a number written in one of the plain North American shapes,
     * {@code (213) 555-0123}, {@code 213-555-0123}, {@code 213.555.0123}, {@code 2135550123}, each
     * optionally after {@code +1} (and a space or dash), when the default region dials +1; else null
     * (the caller then takes libphonenumber's full parse). The area code must start with 2–9, so the
     * digits are never a national prefix or trunk code that parse() would read differently.
     */
    static String nanpDigits(String input, String defaultRegion) {
        String s = input.strip();
        int i = 0;
        if (s.startsWith("+1")) {
            i = 2;
            if (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '-')) i++;
        } else if (!isNanpRegion(defaultRegion)) {
            return null;
        }
        char[] d = new char[10];
        int n;
        if (i < s.length() && s.charAt(i) == '(') {
            if (!digits(s, i + 1, 3, d, 0) || s.length() <= i + 4 || s.charAt(i + 4) != ')') return null;
            i += 5;
            if (i < s.length() && s.charAt(i) == ' ') i++;
            n = 3;
        } else {
            if (!digits(s, i, 3, d, 0)) return null;
            i += 3;
            n = 3;
            if (i < s.length() && isSeparator(s.charAt(i))) i++;
        }
        if (!digits(s, i, 3, d, n)) return null;
        i += 3;
        char sep = i < s.length() ? s.charAt(i) : 0;
        if (isSeparator(sep)) i++;
        if (!digits(s, i, 4, d, 6)) return null;
        i += 4;
        if (i != s.length() || d[0] < '2') return null;
        return new String(d);
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '.' || c == ' ';
    }

    private static boolean digits(String s, int from, int count, char[] into, int at) {
        if (from + count > s.length()) return false;
        for (int k = 0; k < count; k++) {
            char c = s.charAt(from + k);
            if (c < '0' || c > '9') return false;
            into[at + k] = c;
        }
        return true;
    }

    private static boolean isNanpRegion(String region) {
        return region != null && UTIL.getCountryCodeForRegion(region) == 1;
    }
}
