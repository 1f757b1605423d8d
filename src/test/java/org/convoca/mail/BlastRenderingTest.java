package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.MESSAGES;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.settings.Organization;
import org.convoca.testsupport.TestDatabase;
import org.convoca.web.Lang;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.jooq.DSLContext;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A blast rendered once per language and filled in per person reads exactly like one rendered
 * per person: same subject, same text part, same visible HTML text and links; and its MIME bytes
 * decode back to what was rendered.
 */
class BlastRenderingTest {
    static Database db;
    static DSLContext dsl;
    static BlastRenderer renderer;
    static MessageLinks links;
    static final Organization ORG = new Organization("Unión de Padres", "123 Main St", "news@upej.example", "", Lang.EN);

    @BeforeAll
    static void start() {
        db = new Database(TestDatabase.fresh(), 2);
        dsl = db.dsl();
        renderer = new BlastRenderer(new MergeFields(), new Templates(new Messages(), Optional.empty(), true),
                new LinkSigner(new AppSecrets(dsl), "https://upej.example"));
        links = new MessageLinks(dsl);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static Message message(String subject, String preheader, String body, String bodyEs) {
        long id = dsl.insertInto(MESSAGES).set(MESSAGES.SUBJECT, subject).set(MESSAGES.PREHEADER, preheader)
                .set(MESSAGES.BODY, body).set(MESSAGES.SUBJECT_ES, bodyEs == null ? null : "Hola {{ given_name | default(\"amiga\") }}")
                .set(MESSAGES.BODY_ES, bodyEs).returningResult(MESSAGES.ID).fetchSingle().value1();
        return new MessageRepository(dsl).find(id).orElseThrow();
    }

    static final List<Recipient> PEOPLE = List.of(
            new Recipient(11, 0, 1, "ana@example.org", "Ana", "López", "en", "r1", "90012", 1),
            new Recipient(12, 0, 2, "beto@example.org", "Beto <b>&\"'", "O'Brien", "es", "r2", "", 1),
            new Recipient(13, 0, 3, "sin@example.org", null, null, "es", null, null, 1),
            new Recipient(14, 0, 4, "lee@example.org", "  ", "Lee-Smith", "en", "r4", "60601", 1));

    static void assertSameEmail(Message m, boolean filledIn) {
        Map<String, Long> ids = links.ensure(m.id(), renderer.linksOf(m));
        BlastRenderer.Prepared prepared = renderer.prepare(m, ORG, ids);
        assertThat(prepared.filledIn(Lang.EN)).isEqualTo(filledIn);
        for (Recipient p : PEOPLE) {
            BlastRenderer.Rendered fast = prepared.render(p);
            BlastRenderer.Rendered slow = renderer.render(m, ORG, p, ids);
            assertThat(fast.subject()).as(p.email()).isEqualTo(slow.subject());
            assertThat(fast.text()).as(p.email()).isEqualTo(slow.text());
            assertThat(fast.unsubscribeUrl()).isEqualTo(slow.unsubscribeUrl());
            Document f = Jsoup.parse(fast.html());
            Document s = Jsoup.parse(slow.html());
            assertThat(f.title()).isEqualTo(s.title());
            assertThat(f.body().text()).as(p.email()).isEqualTo(s.body().text());
            assertThat(f.select("a").eachAttr("href")).isEqualTo(s.select("a").eachAttr("href"));
            assertThat(f.select("img").eachAttr("src")).isEqualTo(s.select("img").eachAttr("src"));
            assertThat(f.select("strong, li, em").eachText()).isEqualTo(s.select("strong, li, em").eachText());
            assertWrittenParts(fast, slow.text(), fast.html());
        }
    }

    /** The email as written (parts encoded straight from the skeleton) decodes to these texts. */
    static void assertWrittenParts(BlastRenderer.Rendered r, String text, String html) {
        try {
            Session session = Session.getInstance(new Properties());
            MimeMessage built = BlastEmail.build(session, r, "ana@example.org", "Ana",
                    new Mailer.Sender("news@upej.example", "Unión de Padres"), null, "<id-1@upej.example>", null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            built.writeTo(out);
            for (String line : out.toString(StandardCharsets.US_ASCII).split("\r\n")) {
                assertThat(line.length()).isLessThanOrEqualTo(998);
            }
            MimeMultipart parts = (MimeMultipart) new MimeMessage(session, new ByteArrayInputStream(out.toByteArray())).getContent();
            assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(text);
            assertThat(((String) parts.getBodyPart(1).getContent()).replace("\r\n", "\n")).isEqualTo(html);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_blast_filled_in_per_person_reads_like_one_rendered_per_person() {
        assertSameEmail(message("Board meeting, {{ given_name | default(\"friend\") }}",
                "For {{ given_name }} {{ family_name }}",
                "Hi {{ given_name | default(\"friend\") }} {{ family_name }},\n\nThe board votes on **Tuesday**.\n\n"
                        + "- Bring a neighbour\n- Sign up: [speak](https://example.org/speak?a=1&b=2)\n\n"
                        + "Your link: {{ referral_url }} ({{ email }}, {{ postal_code }})\n\nStop: {{ unsubscribe_url }}",
                "Hola {{ given_name | default(\"amiga/amigo\") }},\n\nLa junta vota el **martes**. [hablar](https://example.org/speak?a=1&b=2)"), true);
    }

    @Test
    void a_message_whose_merge_tags_do_more_than_print_a_field_is_still_rendered_right() {
        assertSameEmail(message("Hi {{ given_name | default(\"you\") | upper }}",
                "",
                "Dear {{ given_name | default(\"neighbour\") | capitalize }}, see [this](https://example.org/x).",
                null), false);
    }

    @Test
    void a_merge_field_inside_a_link_is_rendered_per_person() {
        assertSameEmail(message("Hi", "", "Hi {{ given_name }}, [stop here]({{ unsubscribe_url }}).", null), false);
    }

    @Test
    void quoted_printable_decodes_back_to_the_text_and_keeps_lines_short() throws Exception {
        Random random = new Random(42);
        String[] alphabet = {"a", " ", "=", "\t", ".", "é", "€", "😀", "<", "\"", "'", "\n", "\r\n", "\r"};
        for (int n = 0; n < 300; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(400);
            for (int i = 0; i < len; i++) {
                sb.append(random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : String.valueOf((char) ('a' + random.nextInt(26))));
            }
            String text = sb.toString().replace("\r\n", "\n").replace('\r', '\n');
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            QuotedPrintable.encode(text, out);
            String encoded = out.toString(StandardCharsets.US_ASCII);
            for (String line : encoded.split("\r\n", -1)) {
                assertThat(line.length()).as(encoded).isLessThanOrEqualTo(76);
                assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t");
            }
            String decoded = new String(MimeUtility.decode(new ByteArrayInputStream(out.toByteArray()), "quoted-printable")
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(decoded.replace("\r\n", "\n")).isEqualTo(text);
        }
    }

    @Test
    void quoted_printable_pieces_encoded_once_and_values_per_email_decode_to_the_whole_text() throws Exception {
        Random random = new Random(7);
        String[] alphabet = {"a", " ", "=", "\t", ".", "é", "€", "😀", "<", "\n", "\n\n"};
        for (int n = 0; n < 400; n++) {
            // The first rounds: a literal whose last line is a full plain line, then an empty value.
            boolean edge = n < 4;
            int slots = edge ? 1 : random.nextInt(5);
            List<QuotedPrintable.Piece> pieces = new java.util.ArrayList<>();
            List<String> values = new java.util.ArrayList<>();
            StringBuilder whole = new StringBuilder();
            for (int i = 0; i <= slots; i++) {
                String literal = edge && i == 0 ? "a\n" + "b".repeat(74 + n) : randomText(random, alphabet, 200);
                whole.append(literal);
                pieces.add(QuotedPrintable.piece(literal, i == slots));
                if (i < slots) {
                    // Values hold no line breaks (names, links); spaces and non-ASCII at either end.
                    String value = edge ? "" : randomText(random, new String[] {" ", "=", "é", "😀", "\t", "&amp;"}, 90).replace("\n", "");
                    whole.append(value);
                    values.add(value);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i <= slots; i++) {
                out.writeBytes(pieces.get(i).bytes());
                if (i < slots) QuotedPrintable.value(values.get(i), pieces.get(i).endColumn(), out);
            }
            String encoded = out.toString(StandardCharsets.US_ASCII);
            for (String line : encoded.split("\r\n", -1)) {
                assertThat(line.length()).as(encoded).isLessThanOrEqualTo(76);
                assertThat(line).as(encoded).doesNotEndWith(" ").doesNotEndWith("\t");
            }
            String decoded = new String(MimeUtility.decode(new ByteArrayInputStream(out.toByteArray()), "quoted-printable")
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(decoded.replace("\r\n", "\n")).isEqualTo(whole.toString());
        }
    }

    private static String randomText(Random random, String[] alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        int len = random.nextInt(max);
        for (int i = 0; i < len; i++) {
            sb.append(random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                    : String.valueOf((char) ('a' + random.nextInt(26))));
        }
        return sb.toString();
    }

    @Test
    void a_long_header_is_folded_before_a_space_and_unfolds_to_itself() {
        String value = "<https://upej.example/u/123456.abcdefabcdefabcdefabcdef>, <mailto:news@upej.example?subject=unsubscribe>"
                + " and some more words to fold across a third line of this header value";
        String folded = BlastEmail.fold("List-Unsubscribe: ".length(), value);
        assertThat(MimeUtility.unfold(folded)).isEqualTo(value);
        String[] lines = folded.split("\r\n");
        assertThat(lines.length).isGreaterThan(1);
        assertThat(lines[0].length() + "List-Unsubscribe: ".length()).isLessThanOrEqualTo(76);
        for (int i = 1; i < lines.length; i++) assertThat(lines[i]).startsWith(" ").hasSizeLessThanOrEqualTo(76);
        assertThat(BlastEmail.fold(9, "x".repeat(100))).isEqualTo("x".repeat(100));
    }

    @Test
    void the_written_email_parses_back_with_its_headers_and_both_parts() throws Exception {
        var rendered = new BlastRenderer.Rendered("Reunión de la junta, Ana — martes " + "x".repeat(80),
                "Hola Ana,\n\nlínea con = y espacio al final \n", "<p>Hola <b>Ana</b> ☺</p>\n", "https://upej.example/u/1.abc");
        Session session = Session.getInstance(new Properties());
        MimeMessage built = BlastEmail.build(session, rendered, "ana@example.org", "Ana Núñez",
                new Mailer.Sender("news@upej.example", "Unión de Padres"), "reply@upej.example", "<id-1@upej.example>", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        built.writeTo(out);
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));

        assertThat(parsed.getSubject()).isEqualTo(rendered.subject());
        assertThat(parsed.getFrom()[0].toString()).contains("news@upej.example");
        assertThat(((jakarta.mail.internet.InternetAddress) parsed.getFrom()[0]).getPersonal()).isEqualTo("Unión de Padres");
        assertThat(((jakarta.mail.internet.InternetAddress) parsed.getAllRecipients()[0]).getPersonal()).isEqualTo("Ana Núñez");
        assertThat(parsed.getReplyTo()[0].toString()).isEqualTo("reply@upej.example");
        assertThat(parsed.getMessageID()).isEqualTo("<id-1@upej.example>");
        assertThat(MimeUtility.unfold(parsed.getHeader("List-Unsubscribe", null)))
                .isEqualTo("<https://upej.example/u/1.abc>, <mailto:news@upej.example?subject=unsubscribe>");
        assertThat(parsed.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(parsed.getSentDate()).isNotNull();
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(rendered.text());
        assertThat(((String) parts.getBodyPart(1).getContent()).replace("\r\n", "\n")).isEqualTo(rendered.html());
        for (String line : out.toString(StandardCharsets.US_ASCII).split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(998);
    }
}
