package org.convoca.supporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The North American fast path must answer exactly as libphonenumber's full parse does. */
class PhonesTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String[] REGIONS = {"US", "CA", "MX", "GB", "ES"};
    private static final String[] SHAPES = {"(AAA) BBB-CCCC", "(AAA)BBB-CCCC", "AAA-BBB-CCCC", "AAA.BBB.CCCC",
            "AAA BBB CCCC", "AAABBBCCCC", "+1 AAA BBB CCCC", "+1-AAA-BBB-CCCC", "+1AAABBBCCCC", "+1 (AAA) BBB-CCCC",
            " AAA-BBB-CCCC ", "AAA-BBBCCCC", "AAABBB-CCCC", "1 AAA BBB CCCC", "(AAA) BBB-CCC", "AAA-BBB-CCCCC",
            "(AAA BBB-CCCC", "AAA)-BBB-CCCC", "+1 AAA-BBB-CCCC x12", "AAA--BBB-CCCC", "+44 AAA BBB CCCC"};

    /** What normalize answered before the fast path: libphonenumber alone. */
    private static Optional<String> reference(String input, String region) {
        if (input == null || input.isBlank() || input.length() > 40) return Optional.empty();
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(input.strip(), region);
            if (!UTIL.isPossibleNumber(n) || !UTIL.isValidNumber(n)) return Optional.empty();
            return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    @Test
    void the_fast_path_agrees_with_libphonenumber_on_random_numbers_in_every_common_shape() {
        Random random = new Random(20261123);
        int fast = 0;
        for (int i = 0; i < 40_000; i++) {
            String shape = SHAPES[random.nextInt(SHAPES.length)];
            String region = REGIONS[random.nextInt(REGIONS.length)];
            StringBuilder s = new StringBuilder();
            for (char c : shape.toCharArray()) s.append(Character.isUpperCase(c) ? (char) ('0' + random.nextInt(10)) : c);
            String input = s.toString();
            if (Phones.nanpDigits(input, region) != null) fast++;
            assertThat(Phones.normalize(input, region)).as("%s in %s", input, region).isEqualTo(reference(input, region));
        }
        // The comparison must have exercised the fast path, not only the fallback.
        assertThat(fast).isGreaterThan(10_000);
    }

    @Test
    void a_plain_us_number_is_read_without_the_full_parse_and_an_impossible_area_code_is_refused() {
        assertThat(Phones.nanpDigits("(213) 555-0123", "US")).isEqualTo("2135550123");
        assertThat(Phones.normalize("(213) 555-0123", "US")).contains("+12135550123");
        assertThat(Phones.normalize("+1 213.555.0123", "GB")).contains("+12135550123");
        assertThat(Phones.normalize("(113) 555-0123", "US")).isEmpty();
        assertThat(Phones.normalize("(999) 555-0123", "US")).isEqualTo(reference("(999) 555-0123", "US"));
        assertThat(Phones.nanpDigits("020 7946 0958", "GB")).isNull();
        assertThat(Phones.normalize("020 7946 0958", "GB")).contains("+442079460958");
    }
}
