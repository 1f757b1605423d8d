package org.convoca.letter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.LETTER_QUOTAS;
import static org.convoca.db.schema.Tables.OUTREACHES;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.convoca.db.AppSecrets;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Header injection, no open relay, and the daily limits, checked on the wire (GreenMail). */
class LetterSafetyTest {
    static TestApp app;
    static LetterFixtures fx;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        fx = new LetterFixtures(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void a_name_with_a_line_break_and_bcc_is_refused_and_nothing_is_stored_or_sent() {
        Target t = fx.target("Ana", "Crlf", "crlf@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta\r\nBcc: evil@attacker.example", "marta-crlf@parents.example", "Garfield High");

        Http.Response r = LetterFixtures.send(app.http(), a, f);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-given_name-error").text()).contains("one line");
        assertThat(app.dsl().fetchCount(OUTREACHES, OUTREACHES.EMAIL.eq("marta-crlf@parents.example"))).isZero();
        assertThat(fx.to("marta-crlf@parents.example")).isEmpty();
        assertThat(fx.to("evil@attacker.example")).isEmpty();
    }

    @Test
    void an_edited_subject_with_a_line_break_is_refused() {
        Target t = fx.target("Ana", "Subject", "subject@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-subject@parents.example", "Garfield High");
        f.put("subject", "Hello\r\nBcc: evil@attacker.example");

        Http.Response r = LetterFixtures.send(app.http(), a, f);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-subject-error").text()).contains("one line");
    }

    @Test
    void an_email_address_carrying_a_second_header_is_refused() {
        Target t = fx.target("Ana", "Addr", "addr@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta@parents.example\r\nBcc: evil@attacker.example", "Garfield High");

        Http.Response r = LetterFixtures.send(app.http(), a, f);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-email-error").text()).isNotEmpty();
        assertThat(fx.to("evil@attacker.example")).isEmpty();
    }

    @Test
    void header_text_in_a_name_or_a_story_stays_inside_its_own_header_on_the_wire() throws Exception {
        Target t = fx.target("Ana", "Wire", "wire@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Bcc: evil@attacker.example", "marta-wire2@parents.example", "Garfield High");
        f.put("family_name", "To: evil@attacker.example,");
        f.put("subject", "About {{ story }}");
        f.put("story", "Our school\r\nBcc: evil@attacker.example\r\n\r\nneeds counselors");

        fx.writeAndConfirm(a, f);

        List<MimeMessage> letters = fx.to("wire@board.example");
        assertThat(letters).hasSize(1);
        MimeMessage m = letters.get(0);
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(Arrays.stream(m.getAllRecipients()).map(x -> ((InternetAddress) x).getAddress()))
                .containsExactly("wire@board.example");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("convoca@example.org");
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Bcc: evil@attacker.example To: evil@attacker.example,");
        assertThat(m.getSubject()).isEqualTo("About Our school Bcc: evil@attacker.example needs counselors");
        String headers = LetterFixtures.raw(m).split("\r\n\r\n", 2)[0];
        assertThat(headers.lines().filter(l -> l.regionMatches(true, 0, "bcc:", 0, 4))).isEmpty();
        assertThat(fx.to("evil@attacker.example")).isEmpty();
    }

    @Test
    void markup_in_a_story_is_escaped_in_the_html_part_of_the_letter() throws Exception {
        Target t = fx.target("Ana", "Html", "html@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-html@parents.example", "Garfield High");
        f.put("story", "<script>alert(1)</script><a href=\"https://phish.example\">click</a>");

        fx.writeAndConfirm(a, f);

        var mp = (jakarta.mail.Multipart) fx.to("html@board.example").get(0).getContent();
        String html = (String) mp.getBodyPart(1).getContent();
        assertThat(html).doesNotContain("<script>").doesNotContain("<a href=\"https://phish.example")
                .contains("&lt;script&gt;");
        assertThat(LetterFixtures.body(fx.to("html@board.example").get(0))).contains("<script>alert(1)</script>");
    }

    @Test
    void two_clicks_on_the_same_link_at_once_send_one_letter() throws Exception {
        Target t = fx.target("Ana", "Race", "race@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Http writer = app.http();
        LetterFixtures.send(writer, a, LetterFixtures.writer("Marta", "marta-race@parents.example", "Garfield High"));
        String link = fx.confirmationLink("marta-race@parents.example");
        writer.page(link);

        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> writer.post(link, Map.of()).status());
            var second = pool.submit(() -> writer.post(link, Map.of()).status());
            assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdown();
        }
        assertThat(fx.to("race@board.example")).hasSize(1);
    }

    @Test
    void only_directory_targets_receive_letters_whatever_the_form_adds() {
        Target t = fx.target("Ana", "Relay", "relay@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-relay@parents.example", "Garfield High");
        f.put("to", "evil@attacker.example");
        f.put("target_ids", "999999");
        f.put("targets", "evil@attacker.example");
        f.put("cc", "evil@attacker.example");

        fx.writeAndConfirm(a, f);

        assertThat(fx.to("relay@board.example")).hasSize(1);
        assertThat(fx.to("evil@attacker.example")).isEmpty();
    }

    @Test
    void the_confirmation_email_carries_none_of_the_writers_free_text() {
        Target t = fx.target("Ana", "Spam", "spam@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "stranger@parents.example", "Garfield High");
        f.put("story", "BUY CHEAP PILLS at pills.example");
        assertThat(LetterFixtures.send(app.http(), a, f).status()).isEqualTo(303);

        var mail = fx.to("stranger@parents.example");
        assertThat(mail).hasSize(1);
        assertThat(LetterFixtures.body(mail.get(0))).doesNotContain("PILLS");
    }

    @Test
    void a_writer_gets_ten_letters_a_day_and_the_eleventh_is_refused_with_a_message() {
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-limit@parents.example", "Garfield High");
        for (int i = 0; i < LetterQuota.PER_WRITER; i++) {
            Target t = fx.target("Ana", "Limit" + i, "limit" + i + "@board.example", "Garfield High", "");
            LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
            assertThat(LetterFixtures.send(app.http(), a, f).status()).isEqualTo(303);
        }
        Target t = fx.target("Ana", "Limit11", "limit11@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);

        Http.Response refused = LetterFixtures.send(app.http(), a, f);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.html().select(".error-summary").text()).contains("try again tomorrow");
        assertThat(app.dsl().fetchCount(OUTREACHES, OUTREACHES.EMAIL.eq("marta-limit@parents.example"))).isEqualTo(10);
    }

    @Test
    void a_connection_that_reached_its_daily_limit_is_refused() {
        Target t = fx.target("Ana", "Ip", "ip@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        String ipKey = new AppSecrets(app.dsl()).hmac("127.0.0.1");
        quota("ip", ipKey, LetterQuota.PER_IP);
        try {
            Http.Response r = LetterFixtures.send(app.http(), a, LetterFixtures.writer("Marta", "marta-ip@parents.example", "Garfield High"));
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.html().select(".error-summary").text()).contains("from this connection");
        } finally {
            app.dsl().deleteFrom(LETTER_QUOTAS).where(LETTER_QUOTAS.SCOPE.eq("ip")).execute();
        }
    }

    @Test
    void a_target_that_received_its_daily_limit_gets_no_more_letters_today() {
        Target full = fx.target("Ana", "Full", "full@board.example", "Garfield High", "");
        Target open = fx.target("Ana", "Open", "open@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(full, open), List.of(), true);
        quota("target", String.valueOf(full.id()), LetterQuota.PER_TARGET);

        Http.Response done = fx.writeAndConfirm(a, LetterFixtures.writer("Marta", "marta-target@parents.example", "Garfield High"));

        assertThat(done.html().select(".recipients.over-limit li").text()).contains("Ana Full");
        assertThat(fx.to("full@board.example")).isEmpty();
        assertThat(fx.to("open@board.example")).hasSize(1);
    }

    private static void quota(String scope, String key, int used) {
        app.dsl().insertInto(LETTER_QUOTAS).set(LETTER_QUOTAS.SCOPE, scope).set(LETTER_QUOTAS.KEY, key)
                .set(LETTER_QUOTAS.DAY, LocalDate.now(ZoneOffset.UTC)).set(LETTER_QUOTAS.USED, used)
                .onConflict(LETTER_QUOTAS.SCOPE, LETTER_QUOTAS.KEY, LETTER_QUOTAS.DAY).doUpdate()
                .set(LETTER_QUOTAS.USED, used).execute();
    }
}
