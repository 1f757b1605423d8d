package org.convoca.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.ATTENDANCES;
import static org.convoca.db.schema.Tables.EVENTS;
import static org.convoca.db.schema.Tables.EVENT_REMINDERS;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.PEOPLE;

import jakarta.mail.internet.MimeMessage;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convoca.db.AppSecrets;
import org.convoca.mail.EmailRenderer;
import org.convoca.settings.OrganizationRepository;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.convoca.web.Messages;
import org.convoca.web.Templates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RemindersTest {
    static TestApp app;
    static ReminderJob job;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        Messages messages = new Messages();
        var org = new OrganizationRepository(app.dsl());
        job = new ReminderJob(app.dsl(), new EmailRenderer(new Templates(messages, Optional.empty(), true), org), org,
                messages, new EventLinks(app.baseUrl, new AppSecrets(app.dsl())));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static long eventInThreeDays(String title, boolean confidential) {
        Http organizer = app.signedIn("organizer");
        Map<String, String> f = EventPagesTest.eventForm(title);
        LocalDateTime start = LocalDateTime.now(ZoneId.of("America/Los_Angeles")).plusDays(3).withSecond(0).withNano(0);
        f.put("start", start.toString());
        f.put("end", start.plusHours(2).toString());
        if (confidential) f.put("confidential", "1");
        return EventPagesTest.createEvent(organizer, f);
    }

    static OffsetDateTime start(long eventId) {
        return app.dsl().select(EVENTS.START_AT).from(EVENTS).where(EVENTS.ID.eq(eventId)).fetchSingle().value1();
    }

    static MimeMessage lastMailTo(String address) throws Exception {
        app.deliverMail();
        MimeMessage found = null;
        for (MimeMessage m : app.smtp.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().contains(address)) found = m;
        }
        assertThat(found).as("mail to " + address).isNotNull();
        return found;
    }

    @Test
    void a_pledge_gets_each_reminder_once_in_the_persons_language_with_a_cancel_link_that_works() throws Exception {
        long id = eventInThreeDays("Board vote night", false);
        app.http().postRaw("/e/" + id + "/pledge", EventPagesTest.pledge("remind.me@example.org"));
        long attendance = app.dsl().select(ATTENDANCES.ID).from(ATTENDANCES).where(ATTENDANCES.EVENT_ID.eq(id)).fetchSingle().value1();
        assertThat(app.dsl().fetchCount(EVENT_REMINDERS, EVENT_REMINDERS.ATTENDANCE_ID.eq(attendance))).isEqualTo(2);

        OffsetDateTime twoDaysBefore = start(id).minusDays(2).plusMinutes(1);
        assertThat(job.runOnce(twoDaysBefore)).isEqualTo(1);
        assertThat(job.runOnce(twoDaysBefore)).as("sent once").isZero();
        assertThat(app.dsl().fetchCount(OUTBOX, OUTBOX.DEDUPE_KEY.like("event_reminder:" + attendance + ":%"))).isEqualTo(1);

        MimeMessage mail = lastMailTo("remind.me@example.org");
        assertThat(mail.getSubject()).startsWith("Recordatorio: Reunión de la junta escolar");
        String body = text(mail);
        Matcher link = Pattern.compile(Pattern.quote(app.baseUrl) + "(/e/\\d+/cancel/\\d+/[0-9a-f]+)").matcher(body);
        assertThat(link.find()).as(body).isTrue();

        Http supporter = app.http();
        Http.Response page = supporter.page(link.group(1) + "?lang=es");
        assertThat(page.status()).as(link.group(1) + " " + page.body()).isEqualTo(200);
        assertThat(page.html().select("button").text()).isEqualTo("Ya no puedo ir");
        assertThat(supporter.post(link.group(1), Map.of()).status()).isEqualTo(200);
        assertThat(app.dsl().select(ATTENDANCES.STATUS).from(ATTENDANCES).where(ATTENDANCES.ID.eq(attendance)).fetchSingle().value1())
                .isEqualTo("cancelled");
        assertThat(job.runOnce(start(id).minusHours(3).plusMinutes(1))).as("no reminder after cancelling").isZero();
    }

    /** The decoded plain-text part. */
    static String text(jakarta.mail.Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof String s) return s;
        if (content instanceof jakarta.mail.Multipart mp) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < mp.getCount(); i++) sb.append(text(mp.getBodyPart(i)));
            return sb.toString();
        }
        return "";
    }

    @Test
    void a_tampered_cancel_link_is_not_found() {
        long id = eventInThreeDays("Tamper", false);
        app.http().postRaw("/e/" + id + "/pledge", EventPagesTest.pledge("tamper@example.org"));
        long attendance = app.dsl().select(ATTENDANCES.ID).from(ATTENDANCES).where(ATTENDANCES.EVENT_ID.eq(id)).fetchSingle().value1();
        assertThat(app.http().get("/e/" + id + "/cancel/" + attendance + "/00000000000000000000000000000000").status()).isEqualTo(404);
    }

    @Test
    void a_confidential_circle_reminder_keeps_the_topic_out_of_the_subject() throws Exception {
        long id = eventInThreeDays("Grief circle", true);
        Map<String, String> f = EventPagesTest.pledge("circle@example.org");
        f.put("language", "en");
        app.http().postRaw("/e/" + id + "/pledge", f);
        job.runOnce(start(id).minusHours(3).plusMinutes(1));
        MimeMessage mail = lastMailTo("circle@example.org");
        assertThat(mail.getSubject()).startsWith("Reminder: your meeting on").doesNotContain("Grief");
    }

    @Test
    void a_moved_event_moves_its_pending_reminders() {
        long id = eventInThreeDays("Moved", false);
        app.http().postRaw("/e/" + id + "/pledge", EventPagesTest.pledge("moved@example.org"));
        Event e = new EventRepository(app.dsl()).find(id).orElseThrow();
        EventForm later = EventForm.of(e);
        later = new EventForm(later.title(), later.titleEs(), later.description(), later.descriptionEs(),
                e.start().plusDays(7).toLocalDateTime().toString(), e.end().plusDays(7).toLocalDateTime().toString(),
                later.timeZone(), later.location(), later.onlineUrl(), later.capacity(), later.campaignId(),
                later.hostUserId(), later.turnoutGoal(), later.confidential(), later.recurrence(), later.reminders(), later.kind());
        new EventRepository(app.dsl()).update(id, later);
        assertThat(job.runOnce(e.startAt().minusDays(2).plusMinutes(1))).isZero();
        var due = app.dsl().select(EVENT_REMINDERS.DUE_AT).from(EVENT_REMINDERS).join(ATTENDANCES)
                .on(ATTENDANCES.ID.eq(EVENT_REMINDERS.ATTENDANCE_ID)).join(PEOPLE).on(PEOPLE.ID.eq(ATTENDANCES.PERSON_ID))
                .where(PEOPLE.EMAIL_NORMALIZED.eq("moved@example.org")).orderBy(EVENT_REMINDERS.DUE_AT).fetch(EVENT_REMINDERS.DUE_AT);
        assertThat(due.get(0).toInstant()).isEqualTo(e.startAt().plusDays(7).minusDays(2).toInstant());
    }
}
