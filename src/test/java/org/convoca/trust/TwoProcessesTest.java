package org.convoca.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.FORM_RATE_LIMITS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.PEOPLE;
import static org.convoca.db.schema.Tables.PERSON_TAGS;
import static org.convoca.db.schema.Tables.TAGS;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.convoca.mail.OutgoingEmail;
import org.convoca.mail.Outbox;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Convoca processes (separate JVMs started with {@code org.convoca.Main serve}, as a deployment
 * runs them) on one PostgreSQL database, each with its own SMTP server (GreenMail), so the test
 * knows which process sent what. Nothing is shared between them but the database.
 */
class TwoProcessesTest {
    /** Signatures one address may make per minute, in both processes together. */
    static final int SIGN_LIMIT = 32;

    static TestApp db;  // the test's own database (and its app, used only to read and seed rows)
    static ConvocaProcess a;
    static ConvocaProcess b;
    static GreenMail smtpA;
    static GreenMail smtpB;

    @BeforeAll
    static void start() throws Exception {
        db = TestApp.startWithoutSmtp();
        db.app.close();  // this JVM's own app stays out of the way: only the two processes serve
        smtpA = greenMail();
        smtpB = greenMail();
        Path logs = Files.createDirectories(Path.of("target/two-processes"));
        Map<String, String> shared = Map.of("PETITION_SIGNS_PER_IP_PER_MINUTE", String.valueOf(SIGN_LIMIT),
                "MAIL_RATE", "150");
        a = new ConvocaProcess("a", db.databaseUrl, smtpA.getSmtp().getPort(), shared, logs);
        b = new ConvocaProcess("b", db.databaseUrl, smtpB.getSmtp().getPort(), shared, logs);
        a.awaitHealthy(Duration.ofSeconds(120));
        b.awaitHealthy(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (smtpA != null) smtpA.stop();
        if (smtpB != null) smtpB.stop();
        if (db != null) db.db.close();
    }

    @Test
    void a_session_started_in_one_process_is_valid_in_the_other_and_signing_out_there_ends_it_in_both() {
        String email = "two-proc-" + System.nanoTime() + "@example.org";
        db.createUser(email, "organizer");
        Http browser = new Http(a.baseUrl);  // cookies are per host, not per port: one browser, two processes
        browser.login(email, TestApp.PASSWORD);
        assertThat(browser.get(b.baseUrl + "/admin/campaigns").status()).as("signed in on a, page from b").isEqualTo(200);
        browser.page(b.baseUrl + "/admin");
        assertThat(browser.post(b.baseUrl + "/logout", Map.of()).status()).isEqualTo(303);
        assertThat(browser.get(a.baseUrl + "/admin/campaigns").status()).as("signed out on b, page from a").isEqualTo(303);
    }

    @Test
    void the_per_address_signing_limit_counts_requests_to_both_processes_together() throws Exception {
        long petition = TrustFixtures.openPetition(new Http(a.baseUrl), TrustFixtures.organizerToken(db.dsl()), "two-proc-limit");
        // The limit is per clock minute: start early enough in one that the whole run stays inside it.
        while (LocalTime.now().getSecond() > 40) Thread.sleep(500);
        HttpClient client = HttpClient.newHttpClient();
        int requests = 80;
        int[] accepted = new int[2];
        int[] limited = new int[2];
        for (int i = 0; i < requests; i++) {
            int which = i % 2;
            String base = which == 0 ? a.baseUrl : b.baseUrl;
            var form = TrustFixtures.signForm(db.dsl(), petition, "limit-" + i + "@example.org");
            HttpResponse<String> r = client.send(TrustFixtures.signRequest(base, "two-proc-limit", form), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isIn(303, 429);
            if (r.statusCode() == 303) accepted[which]++;
            else limited[which]++;
        }
        System.out.printf("rate limit: a accepted %d refused %d, b accepted %d refused %d%n", accepted[0], limited[0], accepted[1], limited[1]);
        // Counted apart, each process would accept up to the limit (about 46 of 80 here); together, at most the limit.
        assertThat(accepted[0] + accepted[1]).isPositive().isLessThanOrEqualTo(SIGN_LIMIT);
        assertThat(limited[0]).as("refused by a").isPositive();
        assertThat(limited[1]).as("refused by b").isPositive();
        Integer counted = db.dsl().select(org.jooq.impl.DSL.sum(FORM_RATE_LIMITS.HITS).cast(Integer.class))
                .from(FORM_RATE_LIMITS).where(FORM_RATE_LIMITS.KEY.startsWith("sign:")).fetchOne(0, Integer.class);
        assertThat(counted).as("both processes count in the same rows").isEqualTo(requests);
    }

    @Test
    void the_outbox_filled_in_the_database_is_delivered_once_by_the_two_processes() throws Exception {
        int emails = 400;
        db.dsl().transaction(cfg -> {
            for (int i = 0; i < emails; i++) {
                Outbox.enqueue(cfg.dsl(), new OutgoingEmail("test", "two-proc-outbox:" + i, "outbox" + i + "@example.org", "",
                        null, "Outbox " + i, "Hello", null, Map.of()));
            }
        });
        awaitCount(() -> db.dsl().fetchCount(OUTBOX, OUTBOX.DEDUPE_KEY.startsWith("two-proc-outbox:").and(OUTBOX.STATUS.eq("sent"))), emails);
        Map<String, Long> copies = subjects(s -> s.startsWith("Outbox "));
        assertThat(copies).as("each email once, across both processes' SMTP servers").hasSize(emails).allSatisfy((s, n) -> assertThat(n).isEqualTo(1));
        System.out.printf("outbox: a sent %d, b sent %d%n", count(smtpA, s -> s.startsWith("Outbox ")), count(smtpB, s -> s.startsWith("Outbox ")));
    }

    @Test
    void a_blast_started_in_one_process_is_sent_by_both_and_each_person_gets_exactly_one_copy() throws Exception {
        int people = 600;
        DSLContext dsl = db.dsl();
        long tag = dsl.insertInto(TAGS).set(TAGS.NAME, "two-processes").returningResult(TAGS.ID).fetchSingle().value1();
        dsl.transaction(cfg -> {
            for (int i = 0; i < people; i++) {
                String email = "blast" + i + "@example.org";
                long person = cfg.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                        .set(PEOPLE.GIVEN_NAME, "Parent " + i).set(PEOPLE.EMAIL_STATUS, "subscribed")
                        .set(PEOPLE.REFERRAL_CODE, "twoproc" + i).returningResult(PEOPLE.ID).fetchSingle().value1();
                cfg.dsl().insertInto(PERSON_TAGS).set(PERSON_TAGS.PERSON_ID, person).set(PERSON_TAGS.TAG_ID, tag).execute();
            }
        });
        Http api = new Http(a.baseUrl);
        String token = TrustFixtures.organizerToken(dsl);
        var created = api.json("POST", "/api/v1/messages", token, """
                {"subject": "Board vote on Tuesday", "body": "Hi {{ given_name }}, come with us.",
                 "targets": [{"tag": "two-processes"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long message = created.json().get("id").asLong();
        var sent = api.json("POST", "/api/v1/messages/" + message + "/send", token, null);
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);

        awaitCount(() -> dsl.fetchCount(MESSAGE_DELIVERIES, MESSAGE_DELIVERIES.MESSAGE_ID.eq(message)
                .and(MESSAGE_DELIVERIES.STATUS.eq("sent"))), people);
        Map<String, Long> perPerson = Stream.of(smtpA.getReceivedMessages(), smtpB.getReceivedMessages())
                .flatMap(Arrays::stream).filter(m -> subject(m).equals("Board vote on Tuesday"))
                .collect(Collectors.groupingBy(TwoProcessesTest::recipient, Collectors.counting()));
        assertThat(perPerson).as("one copy per person").hasSize(people).allSatisfy((p, n) -> assertThat(n).isEqualTo(1));
        long byA = count(smtpA, s -> s.equals("Board vote on Tuesday"));
        long byB = count(smtpB, s -> s.equals("Board vote on Tuesday"));
        System.out.printf("blast: a sent %d, b sent %d%n", byA, byB);
        assertThat(byA).as("sent by a").isPositive();
        assertThat(byB).as("sent by b").isPositive();
    }

    private static GreenMail greenMail() {
        GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    private static void awaitCount(java.util.function.IntSupplier count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count.getAsInt() < expected && System.nanoTime() < deadline) Thread.sleep(250);
        assertThat(count.getAsInt()).isEqualTo(expected);
    }

    private static Map<String, Long> subjects(Predicate<String> which) {
        return Stream.of(smtpA.getReceivedMessages(), smtpB.getReceivedMessages()).flatMap(Arrays::stream)
                .map(TwoProcessesTest::subject).filter(which)
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    }

    private static long count(GreenMail smtp, Predicate<String> which) {
        return Arrays.stream(smtp.getReceivedMessages()).map(TwoProcessesTest::subject).filter(which).count();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
