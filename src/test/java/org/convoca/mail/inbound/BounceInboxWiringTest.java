package org.convoca.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.LISTS;
import static org.convoca.db.schema.Tables.LIST_MEMBERS;
import static org.convoca.db.schema.Tables.PEOPLE;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Arrays;
import java.util.Map;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.Test;

/** The app as deployed: with BOUNCE_DOMAIN and BOUNCE_MAILBOX_URL set, it polls the inbox by itself. */
class BounceInboxWiringTest {

    @Test
    void the_app_reads_the_configured_inbox_in_the_background() throws Exception {
        GreenMail inbox = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        inbox.start();
        GreenMailUser box = inbox.setUser("bounces@bounce.test", "bounces", "p@ss word");
        try (TestApp app = TestApp.startWithEnvironment(Map.of("BOUNCE_DOMAIN", "bounce.test",
                "BOUNCE_MAILBOX_URL", "imap://bounces:p%40ss%20word@127.0.0.1:" + inbox.getImap().getPort() + "/INBOX",
                "BOUNCE_POLL_SECONDS", "5"))) {
            long ana = app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, "bg-1@example.org").set(PEOPLE.EMAIL_NORMALIZED, "bg-1@example.org")
                    .set(PEOPLE.EMAIL_STATUS, "subscribed").set(PEOPLE.REFERRAL_CODE, "bg" + System.nanoTime())
                    .returningResult(PEOPLE.ID).fetchSingle().value1();
            long list = app.dsl().insertInto(LISTS).set(LISTS.NAME, "bg").returningResult(LISTS.ID).fetchSingle().value1();
            app.dsl().insertInto(LIST_MEMBERS).set(LIST_MEMBERS.LIST_ID, list).set(LIST_MEMBERS.PERSON_ID, ana).execute();
            String token = app.apiKey(app.createUser("api-bg@example.org", "organizer"));
            var created = app.http().json("POST", "/api/v1/messages", token,
                    "{\"subject\": \"Hi\", \"body\": \"Tuesday.\", \"targets\": [{\"list\": " + list + "}]}");
            assertThat(app.http().json("POST", "/api/v1/messages/" + created.json().get("id").asLong() + "/send", token, null)
                    .status()).isEqualTo(202);
            // The app's own blast workers send it; the inbox poller then finds the bounce.
            long until = System.currentTimeMillis() + 30_000;
            while (app.smtp.getReceivedMessages().length == 0 && System.currentTimeMillis() < until) Thread.sleep(100);
            var sent = Arrays.stream(app.smtp.getReceivedMessages()).findFirst().orElseThrow();
            String returnPath = sent.getHeader("Return-Path", null).replaceAll("[<>]", "").strip();
            box.deliver(ReturnedMail.dsn(returnPath, "bg-1@example.org", "failed", "5.1.1"));

            String status = "subscribed";
            while (!status.equals("bouncing") && System.currentTimeMillis() < until) {
                Thread.sleep(200);
                status = app.dsl().select(PEOPLE.EMAIL_STATUS).from(PEOPLE).where(PEOPLE.ID.eq(ana)).fetchSingle().value1();
            }
            assertThat(status).isEqualTo("bouncing");
        } finally {
            inbox.stop();
        }
    }
}
