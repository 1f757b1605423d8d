package org.convoca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With no SMTP_HOST a newcomer still sees every email, in the admin outbox. */
class OutboxPageTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.startWithoutSmtp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void without_smtp_the_reset_email_waits_in_the_outbox_page_and_can_be_read() {
        String email = "outbox-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        Http anon = app.http();
        anon.page("/password/forgot");
        anon.post("/password/forgot", Map.of("email", email));

        Http organizer = app.signedIn("organizer");
        var list = organizer.get("/admin/outbox").html();
        assertThat(list.select(".notice").text()).contains("SMTP_HOST");
        var row = list.select("tbody tr").first();
        assertThat(row.text()).contains(email).contains("Queued");
        var detail = organizer.get(row.select("a").attr("href")).html();
        assertThat(detail.select("pre.mail").text()).contains("/password/reset?token=");
    }
}
