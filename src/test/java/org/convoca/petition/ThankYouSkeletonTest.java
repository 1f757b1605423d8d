package org.convoca.petition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.OutboxBodies;
import org.convoca.mail.OutgoingEmail;
import org.convoca.settings.OrganizationRepository;
import org.convoca.testsupport.TestApp;
import org.convoca.web.Lang;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The thank-you email filled into a once-rendered skeleton is exactly the email a full render gives. */
class ThankYouSkeletonTest {
    static TestApp app;
    static SignatureMail mail;
    static OutboxBodies bodies;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        var emails = new EmailRenderer(new Templates(new Messages(), Optional.empty(), true), new OrganizationRepository(app.dsl()));
        bodies = new OutboxBodies(app.dsl());
        mail = new SignatureMail(emails, new ShareLinks("https://convoca.example.org"), bodies);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Petition petition() {
        OffsetDateTime now = OffsetDateTime.parse("2026-11-23T10:00:00Z");
        return new Petition(7, 1, "fund-counselors", "Fund counselors & nurses", "Fondos para consejeros <ya>", "", "",
                "text", "texto", List.of(new Target("Board", "")), 100, false,
                "**Thank you!** Come on [Wednesday](https://example.org/w?a=1&b=2).", "¡Gracias, *familia*!",
                "Sign \"now\"", "", PetitionStatus.OPEN, false, false, false, false, false, now, now);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ana", "María José", "<b>Bad</b> & \"quoted\" 'name'", "Zoë 😀", "O'Brien {0} $1 \\ zq",
            ""})
    void a_filled_skeleton_equals_a_full_render_in_both_languages(String name) {
        for (Lang lang : Lang.values()) {
            // Twice: the first call makes the skeleton, the second only fills it.
            for (int round = 0; round < 2; round++) {
                OutgoingEmail queued = mail.thanks(petition(), 41, "ana@example.org", name, lang, "ab12cd34");
                // Queued as the shared body and the signer's values, expanded as the sender reads it.
                assertThat(queued.fills()).isNotNull();
                assertThat(queued.textBody()).isNull();
                OutgoingEmail filled = bodies.expanded(queued);
                EmailRenderer.Rendered full = mail.renderThanks(petition(), lang, name, "ab12cd34");
                assertThat(filled.subject()).isEqualTo(full.subject());
                assertThat(filled.textBody()).isEqualTo(full.text());
                assertThat(filled.htmlBody()).isEqualTo(full.html());
                assertThat(filled.htmlBody()).contains("ref%3Dab12cd34");
                // The plain-text part is plain: no HTML entities for the reader to decode.
                assertThat(filled.textBody()).contains(name).doesNotContain("&quot;", "&amp;", "&#39;");
                // …and keeps its lines: each share link on a line of its own.
                assertThat(filled.textBody()).containsPattern("(?m)^WhatsApp: \\S+$").containsPattern("(?m)^Facebook: \\S+$");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AB-12", "a b", ""})
    void a_code_that_url_encoding_would_change_takes_the_full_render(String code) {
        OutgoingEmail filled = mail.thanks(petition(), 42, "ana@example.org", "Ana", Lang.EN, code);
        EmailRenderer.Rendered full = mail.renderThanks(petition(), Lang.EN, "Ana", code);
        assertThat(filled.htmlBody()).isEqualTo(full.html());
        assertThat(filled.textBody()).isEqualTo(full.text());
    }
}
