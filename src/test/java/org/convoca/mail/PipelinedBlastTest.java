package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.stream.Collectors;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A blast through a server that advertises PIPELINING, with refusals and a connection lost
 * mid-pipeline: what each delivery's row says afterwards, and that nobody is recorded as sent
 * whose email the server did not accept, or gets two copies once retried.
 */
class PipelinedBlastTest {
    static PipeliningSmtpServer server;
    static TestApp app;
    static String token;
    static BlastSender sender;

    @BeforeAll
    static void start() throws Exception {
        server = new PipeliningSmtpServer("PIPELINING", "8BITMIME");
        app = TestApp.startSendingTo(server.config());
        token = app.apiKey(app.createUser("api-" + System.nanoTime() + "@example.org", "organizer"));
        sender = app.app.blastSender().orElseThrow();
        sender.close();  // the test drains on its own thread
        app.dsl().execute("update organization set postal_address = '123 Main St, Springfield'");
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        server.close();
    }

    @Test
    void refusals_fail_or_retry_their_own_delivery_and_a_lost_connection_sends_nothing_twice() throws Exception {
        String[] names = {"ana", "gone", "busy", "lost", "cleo", "dan", "eve"};
        long list = app.dsl().insertInto(LISTS).set(LISTS.NAME, "Pipelined").returningResult(LISTS.ID).fetchSingle().value1();
        for (String n : names) {
            long person = app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, n + "@example.org").set(PEOPLE.EMAIL_NORMALIZED, n + "@example.org")
                    .set(PEOPLE.GIVEN_NAME, n).set(PEOPLE.LANGUAGE, "en").set(PEOPLE.EMAIL_STATUS, "subscribed")
                    .set(PEOPLE.REFERRAL_CODE, "r" + n + System.nanoTime()).returningResult(PEOPLE.ID).fetchSingle().value1();
            app.dsl().insertInto(LIST_MEMBERS).set(LIST_MEMBERS.LIST_ID, list).set(LIST_MEMBERS.PERSON_ID, person).execute();
        }
        server.atRcpt.put("gone@", "550 5.1.1 no such user");
        server.atEnd.put("busy@", "451 4.3.0 try again later");
        // The server goes away right after lost's "." without answering it; cleo's envelope was in
        // that write too, and dan was built and waiting for its replies: all three are retried.
        server.dropAtEnd.add("lost@");
        var created = app.http().json("POST", "/api/v1/messages", token, """
                {"subject": "Board meeting", "body": "Hi {{ given_name }}, come on Tuesday.\\n\\n.\\n\\n..and bring a friend.",
                 "targets": [{"list": %d}]}""".formatted(list));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(app.http().json("POST", "/api/v1/messages/" + id + "/send", token, null).status()).isEqualTo(202);

        sender.drain();
        assertThat(statuses(id)).containsEntry("ana", "sent").containsEntry("eve", "sent")
                .containsEntry("gone", "failed").containsEntry("busy", "queued")
                .containsEntry("lost", "queued").containsEntry("cleo", "queued").containsEntry("dan", "queued");
        assertThat(received()).as("eve went over a new connection").containsOnlyKeys("ana@example.org", "eve@example.org");
        assertThat(server.violations).isEmpty();
        assertThat(server.lines).as("the blast pipelined").anyMatch(l -> l.text().startsWith("MAIL"))
                .filteredOn(l -> l.text().equals("DATA")).isNotEmpty();

        // The server is well again and the retries come due.
        server.atEnd.clear();
        server.dropAtEnd.clear();
        app.dsl().update(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.NEXT_ATTEMPT_AT, OffsetDateTime.now().minusSeconds(1))
                .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(id), MESSAGE_DELIVERIES.STATUS.eq("queued")).execute();
        sender.drain();

        assertThat(statuses(id)).containsEntry("gone", "failed").containsEntry("busy", "sent")
                .containsEntry("lost", "sent").containsEntry("cleo", "sent").containsEntry("dan", "sent");
        Map<String, Long> copies = received();
        assertThat(copies).containsOnlyKeys("ana@example.org", "busy@example.org", "lost@example.org", "cleo@example.org", "dan@example.org",
                "eve@example.org");
        assertThat(copies.values()).as("one copy each").allMatch(c -> c == 1);
        String body = new String(server.received.get(0).content(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).as("lines starting with a dot arrive as written").contains("\r\n.\r\n").contains("\r\n..and bring");
        assertThat(app.dsl().select(MESSAGE_DELIVERIES.LAST_ERROR).from(MESSAGE_DELIVERIES).join(PEOPLE).on(PEOPLE.ID.eq(MESSAGE_DELIVERIES.PERSON_ID))
                .where(PEOPLE.EMAIL.eq("gone@example.org")).fetchOne().value1()).startsWith("550");
    }

    private static Map<String, String> statuses(long message) {
        return app.dsl().select(PEOPLE.GIVEN_NAME, MESSAGE_DELIVERIES.STATUS).from(MESSAGE_DELIVERIES)
                .join(PEOPLE).on(PEOPLE.ID.eq(MESSAGE_DELIVERIES.PERSON_ID))
                .where(MESSAGE_DELIVERIES.MESSAGE_ID.eq(message)).fetchMap(PEOPLE.GIVEN_NAME, MESSAGE_DELIVERIES.STATUS);
    }

    private static Map<String, Long> received() {
        return server.received.stream().collect(Collectors.groupingBy(r -> r.to().get(0), Collectors.counting()));
    }
}
