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
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(input.strip(), defaultRegion);
            if (!UTIL.isPossibleNumber(n) || !UTIL.isValidNumber(n)) return Optional.empty();
            return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
