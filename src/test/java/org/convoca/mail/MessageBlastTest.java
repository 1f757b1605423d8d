package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.CONSENTS;
import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.convoca.testsupport.TestApp;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blasts end to end: audience, language, headers, consent at send time, one-click unsubscribe, crash recovery. */
class MessageBlastTest {
    static TestApp app;
    static String token;
    static BlastSender sender;

    @BeforeAll
    static void start() {
        app = TestApp.start();
        token = app.apiKey(app.createUser("api-" + System.nanoTime() + "@example.org", "organizer"));
        sender = app.app.blastSender().orElseThrow();
        // The test drains on its own thread, so it decides when a delivery is sent.
        sender.close();
        app.dsl().execute("update organization set postal_address = '123 Main St, Springfield'");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void clearMailbox() throws Exception {
        app.smtp.purgeEmailFromAllMailboxes();
    }

    static long person(String email, String given, String language, String status) {
        DSLContext dsl = app.dsl();
        return dsl.insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email.toLowerCase())
                .set(PEOPLE.GIVEN_NAME, given).set(PEOPLE.LANGUAGE, language).set(PEOPLE.EMAIL_STATUS, status)
                .set(PEOPLE.REFERRAL_CODE, "r" + System.nanoTime())
                .returningResult(PEOPLE.ID).fetchSingle().value1();
    }

    static void tag(long personId, String name) {
        DSLContext dsl = app.dsl();
        Long tagId = dsl.select(TAGS.ID).from(TAGS).where(TAGS.NAME.eq(name)).fetchOne(TAGS.ID);
        if (tagId == null) tagId = dsl.insertInto(TAGS).set(TAGS.NAME, name).returningResult(TAGS.ID).fetchSingle().value1();
        dsl.insertInto(PERSON_TAGS).set(PERSON_TAGS.PERSON_ID, personId).set(PERSON_TAGS.TAG_ID, tagId).execute();
    }

    static long list(String name, long... people) {
        long id = app.dsl().insertInto(LISTS).set(LISTS.NAME, name).returningResult(LISTS.ID).fetchSingle().value1();
        for (long p : people) app.dsl().insertInto(LIST_MEMBERS).set(LIST_MEMBERS.LIST_ID, id).set(LIST_MEMBERS.PERSON_ID, p).execute();
        return id;
    }

    static long createMessage(String targetsJson) {
        var r = app.http().json("POST", "/api/v1/messages", token, """
                {"subject": "Board meeting, {{ given_name | default(\\"friend\\") }}",
                 "body": "Hi {{ given_name | default(\\"friend\\") }}, come on Tuesday. [Agenda](https://example.org/agenda?x=1&y=2)",
                 "subject_es": "Reunión de la junta, {{ given_name | default(\\"amiga/amigo\\") }}",
                 "body_es": "Hola {{ given_name | default(\\"amiga/amigo\\") }}, venga el martes. [Agenda](https://example.org/agenda?x=1&y=2)",
                 "targets": %s}
                """.formatted(targetsJson));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static void send(long id) {
        var r = app.http().json("POST", "/api/v1/messages/" + id + "/send", token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    static List<MimeMessage> mailTo(String address) {
        return app.mailTo(address);
    }

    static String html(MimeMessage m) throws Exception {
        MimeMultipart mp = (MimeMultipart) m.getContent();
        return (String) mp.getBodyPart(1).getContent();
    }

    @Test
    void a_blast_to_a_tag_and_a_list_reaches_each_subscribed_person_once_in_their_language() throws Exception {
        long ana = person("ana-1@example.org", "Ana", "en", "subscribed");
        long beto = person("beto-1@example.org", "Beto <b>", "es", "subscribed");
        long carla = person("carla-1@example.org", "Carla", "en", "unsubscribed");
        long dora = person("dora-1@example.org", "Dora", "en", "subscribed");
        person("eli-1@example.org", "Eli", "en", "subscribed");
        for (long p : List.of(ana, beto, carla)) tag(p, "board-1");
        long listId = list("Parents 1", beto, dora);
        long id = createMessage("[{\"tag\": \"board-1\"}, {\"list\": " + listId + "}]");

        send(id);
        sender.drain();

        assertThat(mailTo("ana-1@")).hasSize(1);
        assertThat(mailTo("beto-1@")).hasSize(1);
        assertThat(mailTo("dora-1@")).hasSize(1);
        assertThat(mailTo("carla-1@")).isEmpty();
        assertThat(mailTo("eli-1@")).isEmpty();
        assertThat(mailTo("ana-1@").get(0).getSubject()).isEqualTo("Board meeting, Ana");
        MimeMessage es = mailTo("beto-1@").get(0);
        assertThat(es.getSubject()).isEqualTo("Reunión de la junta, Beto <b>");
        assertThat(html(es)).contains("Hola Beto &lt;b&gt;").doesNotContain("<b>,");
        var stats = app.http().json("GET", "/api/v1/messages/" + id, token, null).json();
        assertThat(stats.get("status").asText()).isEqualTo("sent");
        assertThat(stats.get("statistics").get("total").asInt()).isEqualTo(3);
        assertThat(stats.get("statistics").get("sent").asInt()).isEqualTo(3);
    }

    @Test
    void a_blast_to_a_segment_minus_an_excluded_tag_reaches_exactly_the_matching_subscribed_people() throws Exception {
        long es1 = person("seg-es1@example.org", "Rosa", "es", "subscribed");
        long es2 = person("seg-es2@example.org", "Raúl", "es", "subscribed");
        person("seg-en@example.org", "Ray", "en", "subscribed");
        person("seg-es3@example.org", "Rita", "es", "spam_complaint");
        tag(es2, "staff-seg");
        long segment = new org.convoca.supporter.SegmentRepository(app.dsl()).create("Spanish speakers",
                new org.convoca.supporter.SegmentFilter.All(List.of(
                        new org.convoca.supporter.SegmentFilter.Language("es"),
                        new org.convoca.supporter.SegmentFilter.Not(new org.convoca.supporter.SegmentFilter.HasTag("nobody-has-this")))));
        long id = createMessage("[{\"segment\": " + segment + "}]");
        var put = app.http().json("PUT", "/api/v1/messages/" + id, token, "{\"exclusions\": [{\"tag\": \"staff-seg\"}]}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        send(id);
        sender.drain();

        var received = Arrays.stream(app.smtp.getReceivedMessages()).map(m -> {
            try {
                return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(received).filteredOn(a -> a.startsWith("seg-")).containsExactly("seg-es1@example.org");
        assertThat(mailTo("seg-es1@").get(0).getSubject()).isEqualTo("Reunión de la junta, Rosa");
    }

    @Test
    void a_message_naming_a_segment_that_does_not_exist_is_refused() {
        var r = app.http().json("POST", "/api/v1/messages", token,
                "{\"subject\": \"Hi\", \"body\": \"Hello\", \"targets\": [{\"segment\": 987654}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("segment");
    }

    @Test
    void every_blast_email_carries_one_click_unsubscribe_headers_a_footer_and_its_own_message_id() throws Exception {
        long a = person("hdr-a@example.org", "Hana", "en", "subscribed");
        long b = person("hdr-b@example.org", "Hugo", "en", "subscribed");
        long id = createMessage("[{\"list\": " + list("Headers", a, b) + "}]");
        send(id);
        sender.drain();

        MimeMessage m = mailTo("hdr-a@").get(0);
        String lu = m.getHeader("List-Unsubscribe", null);
        assertThat(lu).contains("<" + app.baseUrl + "/u/").contains("<mailto:");
        assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        assertThat(m.getMessageID()).isNotEqualTo(mailTo("hdr-b@").get(0).getMessageID());
        String html = html(m);
        assertThat(html).contains("123 Main St, Springfield").contains("/u/");
        assertThat(html).contains(app.baseUrl + "/t/c/").doesNotContain("href=\"https://example.org/agenda");
        assertThat(app.dsl().fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)
                .and(MESSAGE_DELIVERIES.SMTP_MESSAGE_ID.eq(m.getMessageID())))).isEqualTo(1);
    }

    @Test
    void a_one_click_post_to_the_unsubscribe_link_unsubscribes_without_login() throws Exception {
        long p = person("oneclick@example.org", "Olga", "en", "subscribed");
        long id = createMessage("[{\"list\": " + list("One click", p) + "}]");
        send(id);
        sender.drain();
        String lu = mailTo("oneclick@").get(0).getHeader("List-Unsubscribe", null);
        String url = lu.substring(lu.indexOf('<') + 1, lu.indexOf('>'));

        var r = app.http().postRaw(url.substring(app.baseUrl.length()), Map.of("List-Unsubscribe", "One-Click"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(p)).fetchOne(PEOPLE.EMAIL_STATUS))
                .isEqualTo("unsubscribed");
        assertThat(app.dsl().fetchCount(CONSENTS, CONSENTS.PERSON_ID.eq(p).and(CONSENTS.GRANTED.isFalse())
                .and(CONSENTS.METHOD.eq("one_click")))).isEqualTo(1);
        assertThat(app.http().json("GET", "/api/v1/messages/" + id, token, null).json()
                .get("statistics").get("unsubscribed").asInt()).isEqualTo(1);
    }

    @Test
    void a_forged_unsubscribe_link_changes_nothing() {
        long p = person("forged@example.org", "Fer", "en", "subscribed");
        var r = app.http().postRaw("/u/" + p + ".0000000000000000deadbeef", Map.of("List-Unsubscribe", "One-Click"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(p)).fetchOne(PEOPLE.EMAIL_STATUS))
                .isEqualTo("subscribed");
    }

    @Test
    void someone_who_unsubscribes_after_queueing_is_skipped() throws Exception {
        long stays = person("stays@example.org", "Sam", "en", "subscribed");
        long leaves = person("leaves@example.org", "Lea", "en", "subscribed");
        long id = createMessage("[{\"list\": " + list("Consent", stays, leaves) + "}]");
        send(id);
        app.dsl().update(PEOPLE).set(PEOPLE.EMAIL_STATUS, "unsubscribed").where(PEOPLE.ID.eq(leaves)).execute();

        sender.drain();

        assertThat(mailTo("stays@")).hasSize(1);
        assertThat(mailTo("leaves@")).isEmpty();
        assertThat(app.dsl().select(MESSAGE_DELIVERIES.STATUS).from(MESSAGE_DELIVERIES)
                .where(MESSAGE_DELIVERIES.PERSON_ID.eq(leaves)).fetchOne(MESSAGE_DELIVERIES.STATUS)).isEqualTo("skipped");
    }

    @Test
    void a_sender_killed_mid_batch_is_resumed_by_a_new_one_and_everyone_gets_exactly_one_copy() throws Exception {
        int leased = 50;
        long[] people = new long[leased * 2 + 5];
        for (int i = 0; i < people.length; i++) people[i] = person("crash" + i + "@example.org", "P" + i, "en", "subscribed");
        long id = createMessage("[{\"list\": " + list("Crash", people) + "}]");
        send(id);
        // A worker claims a batch and dies before sending any of it: its rows stay leased.
        Deliveries deliveries = new Deliveries(app.dsl());
        List<Recipient> dead = deliveries.claim(leased, Duration.ofMinutes(5));
        assertThat(dead).hasSize(leased);
        // Another worker meanwhile sends what it can claim (not the leased rows).
        sender.drain();
        assertThat(app.smtp.getReceivedMessages()).hasSize(people.length - leased);

        // The lease runs out; a restarted sender picks up the dead worker's rows.
        app.dsl().update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.LOCKED_UNTIL, OffsetDateTime.now().minusSeconds(1))
                .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)).and(MESSAGE_DELIVERIES.STATUS.eq("queued")).execute();
        sender.drain();

        var counts = Arrays.stream(app.smtp.getReceivedMessages()).map(m -> {
            try {
                return m.getAllRecipients()[0].toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(counts).hasSize(people.length);
        assertThat(counts.values()).allMatch(c -> c == 1);
        assertThat(app.dsl().fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)
                .and(MESSAGE_DELIVERIES.STATUS.eq("sent")))).isEqualTo(people.length);
        // Each delivery records the Message-ID its email went out with.
        var recorded = app.dsl().select(PEOPLE.EMAIL, MESSAGE_DELIVERIES.SMTP_MESSAGE_ID).from(MESSAGE_DELIVERIES)
                .join(PEOPLE).on(PEOPLE.ID.eq(MESSAGE_DELIVERIES.PERSON_ID))
                .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)).fetchMap(PEOPLE.EMAIL, MESSAGE_DELIVERIES.SMTP_MESSAGE_ID);
        for (MimeMessage m : app.smtp.getReceivedMessages()) {
            assertThat(m.getMessageID()).isEqualTo(recorded.get(((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress()));
        }
        // Each person's timeline says once that this message was sent, when the delivery was recorded;
        // a row stored by an older version (one activity per email) is not shown a second time.
        var acts = org.convoca.db.schema.Tables.ACTIVITIES;
        app.dsl().insertInto(acts).set(acts.PERSON_ID, people[0]).set(acts.KIND, "email.sent").set(acts.SUBJECT_ID, id)
                .set(acts.DETAILS, org.jooq.JSONB.valueOf("{}")).execute();
        var directory = new org.convoca.supporter.PeopleDirectory(app.dsl());
        for (long person : people) {
            var sent = directory.timeline(person, 50).stream()
                    .filter(a -> a.kind().equals("email.sent") && a.subjectId() == id).toList();
            assertThat(sent).as("person %d", person).hasSize(1);
            if (person == people[0]) continue;  // the stored row carries its own time
            var sentAt = app.dsl().select(MESSAGE_DELIVERIES.SENT_AT).from(MESSAGE_DELIVERIES)
                    .where(MESSAGE_DELIVERIES.PERSON_ID.eq(person), MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)).fetchOne().value1();
            assertThat(sent.get(0).occurredAt().toInstant()).isEqualTo(sentAt.toInstant());
        }
        // The personal-data export lists it too.
        var export = new org.convoca.supporter.PersonExport(app.dsl(), directory, new org.convoca.supporter.ListRepository(app.dsl()))
                .of(directory.find(people[1]).orElseThrow());
        @SuppressWarnings("unchecked")
        var exported = (List<Map<String, Object>>) export.get("activities");
        assertThat(exported).anySatisfy(a -> assertThat(a).containsEntry("kind", "email.sent").containsEntry("subject_id", id));
    }

    @Test
    void a_blast_larger_than_a_lease_claims_the_next_lease_ahead_and_sends_everyone_exactly_once() throws Exception {
        // 2.4 leases: the sender claims each next lease while it sends the current one's second half.
        long[] people = new long[BlastSender.CLAIM * 2 + BlastSender.CLAIM / 2 - 25];
        for (int i = 0; i < people.length; i++) people[i] = person("ahead" + i + "@example.org", "A" + i, i % 3 == 0 ? "es" : "en", "subscribed");
        long id = createMessage("[{\"list\": " + list("Ahead", people) + "}]");
        send(id);
        assertThat(sender.drain()).isEqualTo(people.length);

        var to = Arrays.stream(app.smtp.getReceivedMessages()).map(m -> {
            try {
                return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(to).hasSize(people.length);
        assertThat(to.values()).allMatch(c -> c == 1);
        assertThat(app.dsl().fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)
                .and(MESSAGE_DELIVERIES.STATUS.eq("sent")))).isEqualTo(people.length);
        assertThat(app.dsl().fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)
                .and(MESSAGE_DELIVERIES.LOCKED_UNTIL.isNotNull()))).as("no lease left behind").isZero();
    }

    @Test
    void expanding_in_chunks_of_people_ids_queues_each_matching_person_once() {
        long[] people = new long[11];
        for (int i = 0; i < people.length; i++) people[i] = person("chunk" + i + "@example.org", "C" + i, "en", "subscribed");
        long unsubscribed = person("chunk-gone@example.org", "Gone", "en", "unsubscribed");
        long[] listed = Arrays.copyOf(people, people.length + 1);
        listed[people.length] = unsubscribed;
        long id = createMessage("[{\"list\": " + list("Chunks", listed) + "}]");
        Message m = new MessageRepository(app.dsl()).find(id).orElseThrow();
        // Chunks of 3 ids: the list's people fall into several, some chunks hold nobody on it.
        Audience audience = new Audience(app.dsl(), 3);
        app.dsl().transaction(cfg -> audience.begin(cfg.dsl(), m.id()));
        audience.expandAll(app.dsl(), m.id(), () -> { });
        assertThat(new MessageRepository(app.dsl()).find(id).orElseThrow().total()).isEqualTo(people.length);
        assertThat(app.dsl().select(MESSAGE_DELIVERIES.PERSON_ID).from(MESSAGE_DELIVERIES)
                .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(id)).fetch(MESSAGE_DELIVERIES.PERSON_ID))
                .containsExactlyInAnyOrder(Arrays.stream(people).boxed().toArray(Long[]::new));
    }

    @Test
    void an_unknown_merge_field_is_refused_when_the_message_is_saved() {
        var r = app.http().json("POST", "/api/v1/messages", token,
                "{\"subject\": \"Hi\", \"body\": \"Hello {{ nmae | default(\\\"x\\\") }}\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("body");
        var r2 = app.http().json("POST", "/api/v1/messages", token,
                "{\"subject\": \"Hi\", \"body\": \"Hello {{ given_name.getClass() }}\"}");
        assertThat(r2.status()).isEqualTo(422);
    }

    @Test
    void a_click_redirects_only_to_a_link_that_was_in_the_message() throws Exception {
        long p = person("click@example.org", "Cleo", "en", "subscribed");
        long id = createMessage("[{\"list\": " + list("Clicks", p) + "}]");
        send(id);
        sender.drain();
        String html = html(mailTo("click@").get(0));
        int at = html.indexOf(app.baseUrl + "/t/c/");
        String path = html.substring(at + app.baseUrl.length(), html.indexOf('"', at));

        var r = app.http().get(path);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.location()).isEqualTo("https://example.org/agenda?x=1&y=2");
        String otherLink = path.replaceFirst("-(\\d+)\\.", "-999.");
        assertThat(app.http().get(otherLink).status()).isEqualTo(404);
        var stats = app.http().json("GET", "/api/v1/messages/" + id, token, null).json().get("statistics");
        assertThat(stats.get("clicked").asInt()).isEqualTo(1);
        assertThat(stats.get("opened").asInt()).isEqualTo(1);
    }
}
