package org.convoca.letter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ACTIVITIES;
import static org.convoca.db.schema.Tables.LETTERS;
import static org.convoca.db.schema.Tables.PEOPLE;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LetterSendingTest {
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
    void the_preview_shows_only_the_board_member_who_represents_the_writers_school() {
        Target garfield = fx.target("Ana", "Ruiz", "ruiz-preview@board.example", "Garfield High\nRoosevelt High", "90033");
        Target other = fx.target("Luis", "Mora", "mora-preview@board.example", "Venice High", "90291");
        LetterAction a = fx.action(Targeting.BY_SCHOOL_OR_POSTAL_CODE, List.of(garfield, other), List.of(), true);

        Map<String, String> form = LetterFixtures.writer("Marta", "marta-preview@parents.example", "garfield high");
        Http.Response preview = app.http().postRaw("/letters/" + a.id(), form);

        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.html().select(".recipients li").eachText())
                .containsExactly("Ana Ruiz, Board Member, LAUSD Board of Education");
        assertThat(preview.html().select(".letter-subject").text()).contains("Counselors for Garfield High");
        assertThat(preview.html().select("button[name=step][value=send]")).hasSize(1);
        assertThat(fx.to("ruiz-preview@board.example")).as("a preview sends nothing").isEmpty();
    }

    @Test
    void a_postal_code_matches_when_no_school_is_chosen_and_the_fallback_receives_when_nothing_matches() {
        Target byPostal = fx.target("Rosa", "Lima", "lima@board.example", "Belmont High", "90057");
        Target fallback = fx.target("Super", "Intendent", "super@district.example", "", "");
        LetterAction a = fx.action(Targeting.BY_SCHOOL_OR_POSTAL_CODE, List.of(byPostal), List.of(fallback), true);

        Map<String, String> f = LetterFixtures.writer("Eva", "eva-postal@parents.example", "");
        f.put("postal_code", "90057");
        assertThat(app.http().postRaw("/letters/" + a.id(), f).html().select(".recipients li").text()).contains("Rosa Lima");

        f.put("postal_code", "10001");
        assertThat(app.http().postRaw("/letters/" + a.id(), f).html().select(".recipients li").text()).contains("Super Intendent");
    }

    @Test
    void nothing_reaches_a_target_until_the_writer_opens_the_emailed_link_and_then_it_counts() {
        Target t = fx.target("Ana", "Vega", "vega@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> form = LetterFixtures.writer("Marta", "marta-confirm@parents.example", "Garfield High");

        Http writer = app.http();
        Http.Response sent = LetterFixtures.send(writer, a, form);
        assertThat(sent.status()).isEqualTo(303);
        assertThat(writer.get(sent.location()).body()).contains("Check your email");
        String link = fx.confirmationLink("marta-confirm@parents.example");
        assertThat(fx.to("vega@board.example")).isEmpty();
        assertThat(count(a)).isZero();

        Http.Response confirmPage = writer.page(link);
        assertThat(confirmPage.html().select(".recipients li").text()).contains("Ana Vega");
        Http.Response done = writer.post(link, Map.of());
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.html().select(".recipients.sent li").text()).contains("Ana Vega");

        assertThat(fx.to("vega@board.example")).hasSize(1);
        assertThat(count(a)).isEqualTo(1);
        Http.Response again = writer.post(link, Map.of());
        assertThat(again.status()).as("the link works once").isEqualTo(409);
        assertThat(fx.to("vega@board.example")).hasSize(1);
    }

    @Test
    void the_letter_comes_from_the_platform_address_under_the_writers_name_with_reply_to_the_writer() throws Exception {
        Target t = fx.target("Ana", "Soto", "soto@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        fx.writeAndConfirm(a, LetterFixtures.writer("Marta", "marta-wire@parents.example", "Garfield High"));

        MimeMessage letter = fx.to("soto@board.example").get(0);
        InternetAddress from = (InternetAddress) letter.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Marta Pérez");
        assertThat(from.getAddress()).isEqualTo("convoca@example.org");
        assertThat(((InternetAddress) letter.getReplyTo()[0]).getAddress()).isEqualTo("marta-wire@parents.example");
        assertThat(letter.getSubject()).isEqualTo("Counselors for Garfield High");
        assertThat(LetterFixtures.body(letter)).contains("I am Marta Pérez, a parent at Garfield High.")
                .contains("700 kids & it shows.");

        List<MimeMessage> copy = fx.to("marta-wire@parents.example").stream()
                .filter(m -> LetterFixtures.subject(m).startsWith("Your letter")).toList();
        assertThat(copy).as("the writer gets a copy").hasSize(1);
        assertThat(LetterFixtures.body(copy.get(0))).contains("Ana Soto").contains("a parent at Garfield High");
    }

    @Test
    void a_writer_sends_one_email_per_target_however_often_they_write() {
        Target t1 = fx.target("Uno", "Once", "once1@board.example", "Garfield High", "");
        Target t2 = fx.target("Dos", "Once", "once2@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t1, t2), List.of(), true);
        Map<String, String> form = LetterFixtures.writer("Marta", "marta-once@parents.example", "Garfield High");

        fx.writeAndConfirm(a, form);
        Http.Response second = fx.writeAndConfirm(a, form);

        assertThat(second.html().select(".recipients.already li")).hasSize(2);
        assertThat(fx.to("once1@board.example")).hasSize(1);
        assertThat(fx.to("once2@board.example")).hasSize(1);
        assertThat(app.dsl().fetchCount(LETTERS, LETTERS.ADVOCACY_CAMPAIGN_ID.eq(a.id()))).isEqualTo(2);
    }

    @Test
    void the_writer_is_saved_as_a_person_with_the_letter_on_their_timeline() {
        Target t = fx.target("Ana", "Timeline", "timeline@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        fx.writeAndConfirm(a, LetterFixtures.writer("Marta", "marta-timeline@parents.example", "Garfield High"));

        Long person = app.dsl().select(PEOPLE.ID).from(PEOPLE).where(PEOPLE.EMAIL_NORMALIZED.eq("marta-timeline@parents.example")).fetchOne(PEOPLE.ID);
        assertThat(person).isNotNull();
        assertThat(app.dsl().fetchCount(ACTIVITIES, ACTIVITIES.PERSON_ID.eq(person).and(ACTIVITIES.KIND.eq("letter.sent"))
                .and(ACTIVITIES.SUBJECT_ID.eq(a.id())))).isEqualTo(1);
    }

    @Test
    void a_retired_target_receives_no_new_letters() {
        Target active = fx.target("Sigue", "Activa", "activa@board.example", "Garfield High", "");
        Target retired = fx.target("Ya", "Retirada", "retirada@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(active, retired), List.of(), true);
        new TargetRepository(app.dsl()).setRetired(retired.id(), true);

        fx.writeAndConfirm(a, LetterFixtures.writer("Marta", "marta-retired@parents.example", "Garfield High"));

        assertThat(fx.to("activa@board.example")).hasSize(1);
        assertThat(fx.to("retirada@board.example")).isEmpty();
    }

    @Test
    void an_expired_link_sends_nothing() {
        Target t = fx.target("Ana", "Expira", "expira@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Http writer = app.http();
        LetterFixtures.send(writer, a, LetterFixtures.writer("Marta", "marta-expired@parents.example", "Garfield High"));
        String link = fx.confirmationLink("marta-expired@parents.example");
        writer.page(link);  // the confirm button's form, opened in time
        app.dsl().update(org.convoca.db.schema.Tables.OUTREACHES)
                .set(org.convoca.db.schema.Tables.OUTREACHES.EXPIRES_AT, java.time.OffsetDateTime.now().minusMinutes(1))
                .where(org.convoca.db.schema.Tables.OUTREACHES.EMAIL.eq("marta-expired@parents.example")).execute();

        assertThat(writer.page(link).body()).contains("This link has expired");
        assertThat(writer.post(link, Map.of()).status()).isEqualTo(409);
        assertThat(fx.to("expira@board.example")).isEmpty();
    }

    @Test
    void a_school_that_is_not_in_the_list_is_refused_next_to_the_field_and_the_values_are_kept() {
        Target t = fx.target("Ana", "Lista", "lista@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.BY_SCHOOL_OR_POSTAL_CODE, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-list@parents.example", "Hogwarts");

        Http.Response r = app.http().postRaw("/letters/" + a.id(), f);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.html().select("#f-school-error").text()).isEqualTo("Choose your school from the list.");
        assertThat(r.html().select("#f-email").val()).isEqualTo("marta-list@parents.example");
        assertThat(r.html().select("#f-story").text()).contains("700 kids");
    }

    @Test
    void a_fixed_letter_ignores_the_text_a_writer_posts_and_spanish_readers_get_the_spanish_letter() {
        Target t = fx.target("Ana", "Fija", "fija@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), false);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-fixed@parents.example", "Garfield High");
        f.put("subject", "Something else entirely");

        var page = app.http().get("/letters/" + a.id() + "?lang=es").html();
        assertThat(page.select("#f-subject")).as("no subject input on a fixed letter").isEmpty();
        assertThat(page.select(".letter-subject").text()).contains("Consejeros para");
        Http.Response preview = app.http().postRaw("/letters/" + a.id() + "?lang=es", f);
        assertThat(preview.html().select(".letter-subject").text()).isEqualTo("Asunto: Consejeros para Garfield High");
    }

    @Test
    void the_edit_button_brings_back_the_form_with_everything_the_writer_typed() {
        Target t = fx.target("Ana", "Edita", "edita@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        Map<String, String> f = LetterFixtures.writer("Marta", "marta-edit@parents.example", "Garfield High");
        f.put("step", "edit");
        var form = app.http().postRaw("/letters/" + a.id(), f).html();
        assertThat(form.select("#f-given_name").val()).isEqualTo("Marta");
        assertThat(form.select("#f-school option[selected]").text()).isEqualTo("Garfield High");
    }

    @Test
    void a_draft_has_no_page_and_a_closed_action_takes_no_letters() {
        Target t = fx.target("Ana", "Cerrada", "cerrada@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        LetterActionRepository actions = new LetterActionRepository(app.dsl());
        actions.setStatus(a.id(), LetterStatus.DRAFT);
        assertThat(app.http().get("/letters/" + a.id()).status()).isEqualTo(404);

        actions.setStatus(a.id(), LetterStatus.CLOSED);
        assertThat(app.http().get("/letters/" + a.id()).html().select(".badge").text()).contains("closed");
        Http.Response r = LetterFixtures.send(app.http(), a, LetterFixtures.writer("Marta", "marta-closed@parents.example", "Garfield High"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(fx.to("marta-closed@parents.example")).isEmpty();
    }

    @Test
    void an_unconfirmed_letter_is_deleted_a_week_after_its_link_expired() {
        Target t = fx.target("Ana", "Olvido", "olvido@board.example", "Garfield High", "");
        LetterAction a = fx.action(Targeting.ALL, List.of(t), List.of(), true);
        LetterFixtures.send(app.http(), a, LetterFixtures.writer("Marta", "marta-abandon@parents.example", "Garfield High"));
        var OUTREACHES = org.convoca.db.schema.Tables.OUTREACHES;
        app.dsl().update(OUTREACHES).set(OUTREACHES.EXPIRES_AT, java.time.OffsetDateTime.now().minusDays(8))
                .where(OUTREACHES.EMAIL.eq("marta-abandon@parents.example")).execute();

        new OutreachService(app.dsl(), new TargetRepository(app.dsl()), null, null, app.baseUrl, "US").deleteAbandoned();

        assertThat(app.dsl().fetchCount(OUTREACHES, OUTREACHES.EMAIL.eq("marta-abandon@parents.example"))).isZero();
    }

    private static int count(LetterAction a) {
        return new LetterActionRepository(app.dsl()).find(a.id()).orElseThrow().totalOutreaches();
    }
}
