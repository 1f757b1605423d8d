package org.convoca.letter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.OutgoingEmail;
import org.convoca.web.Lang;

/**
 * The three emails of a letter: the confirmation link to the writer, the letter itself to each
 * target (from the platform's address under the writer's name, Reply-To the writer), and the
 * writer's copy. Letter text is plain text; the HTML part escapes it (Pebble autoescaping).
 */
public final class LetterMail {
    /** The letter as it reads, merge fields filled in. */
    public record Letter(String subject, String body) {
        /** Paragraphs of lines, for the HTML part (each line escaped when rendered). */
        public List<List<String>> paragraphs() {
            return Arrays.stream(body.split("\\n\\s*\\n")).map(p -> Arrays.asList(p.strip().split("\\n"))).toList();
        }
    }

    private final EmailRenderer renderer;

    public LetterMail(EmailRenderer renderer) {
        this.renderer = renderer;
    }

    public static Letter letter(String subjectTemplate, String bodyTemplate, Map<String, String> values) {
        return new Letter(MergeTemplate.renderSubject(subjectTemplate, values), MergeTemplate.render(bodyTemplate, values));
    }

    /**
     * The link that sends the letter. It deliberately leaves out the letter's free text: anyone can
     * type any address into the form, so this email must carry nothing a stranger wrote.
     */
    public OutgoingEmail confirmation(long outreachId, String to, String name, Lang lang, String actionTitle,
                                      List<String> recipients, String link, long hours) {
        var r = renderer.render("letter_confirm", lang, Map.of("name", name, "title", actionTitle,
                "recipients", recipients, "link", link, "hours", hours), actionTitle);
        return new OutgoingEmail("letter_confirm", "letter-confirm:" + outreachId, to, name, null,
                r.subject(), r.text(), r.html(), Map.of());
    }

    /** To one target. The From address stays the platform's (SPF/DMARC); only the display name is the writer's. */
    public OutgoingEmail toTarget(long letterId, Target target, String writerName, String writerEmail, String school,
                                  String postalCode, Lang lang, Letter letter) {
        var r = renderer.render("letter_to_target", lang, Map.of("letter", letter, "writerName", writerName,
                "writerEmail", writerEmail, "school", school, "postalCode", postalCode, "target", target), letter.subject());
        return new OutgoingEmail("letter", "letter:" + letterId, target.email(), target.name(), writerEmail,
                r.subject(), r.text(), r.html(), Map.of(), writerName);
    }

    public OutgoingEmail copy(long outreachId, String to, String name, Lang lang, List<String> recipients, Letter letter) {
        var r = renderer.render("letter_copy", lang, Map.of("name", name, "recipients", recipients, "letter", letter),
                letter.subject());
        return new OutgoingEmail("letter_copy", "letter-copy:" + outreachId, to, name, null,
                r.subject(), r.text(), r.html(), Map.of());
    }
}
