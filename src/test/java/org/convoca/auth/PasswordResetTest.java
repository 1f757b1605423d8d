package org.convoca.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.PASSWORD_RESETS;
import static org.convoca.db.schema.Tables.SESSIONS;

import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.icegreen.greenmail.util.GreenMailUtil;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordResetTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    String requestLink(String email, String lang) throws Exception {
        Http http = app.http();
        http.page("/password/forgot" + (lang == null ? "" : "?lang=" + lang));
        Http.Response r = http.post("/password/forgot" + (lang == null ? "" : "?lang=" + lang), Map.of("email", email));
        assertThat(r.status()).isEqualTo(303);
        app.deliverMail();
        MimeMessage mail = lastMailTo(email);
        Matcher m = Pattern.compile("(http://\\S+/password/reset\\?token=[A-Za-z0-9_-]+)").matcher(GreenMailUtil.getBody(mail));
        assertThat(m.find()).as("reset link in the email").isTrue();
        return m.group(1);
    }

    MimeMessage lastMailTo(String email) throws Exception {
        MimeMessage last = null;
        for (MimeMessage m : app.smtp.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().contains(email)) last = m;
        }
        assertThat(last).as("an email to " + email).isNotNull();
        return last;
    }

    @Test
    void a_reset_link_by_email_sets_a_new_password_once_and_signs_out_everywhere() throws Exception {
        String email = "reset-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        Http oldSession = app.http();
        oldSession.login(email, TestApp.PASSWORD);

        String link = requestLink(email, null);
        MimeMessage mail = lastMailTo(email);
        assertThat(mail.getSubject()).isEqualTo("Reset your Convoca password");
        assertThat(mail.getContentType()).startsWith("multipart/alternative");

        Http http = app.http();
        String path = link.substring(link.indexOf("/password"));
        http.page(path);
        String token = path.substring(path.indexOf("token=") + 6);
        Http.Response mismatch = http.post("/password/reset", Map.of("token", token, "password", "a brand new passphrase", "password_confirm", "different"));
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(mismatch.html().select("#f-password-error").text()).contains("do not match");

        Http.Response done = http.post("/password/reset", Map.of("token", token, "password", "a brand new passphrase", "password_confirm", "a brand new passphrase"));
        assertThat(done.status()).isEqualTo(303);
        long userId = app.dsl().select(org.convoca.db.schema.Tables.USERS.ID).from(org.convoca.db.schema.Tables.USERS)
                .where(org.convoca.db.schema.Tables.USERS.EMAIL.eq(email)).fetchOne().value1();
        assertThat(app.dsl().fetchCount(SESSIONS, SESSIONS.USER_ID.eq(userId))).as("old sessions ended").isZero();
        assertThat(oldSession.get("/admin").status()).isEqualTo(303);

        Http again = app.http();
        assertThat(again.get(path).status()).as("the link works once").isEqualTo(410);
        again.login(email, "a brand new passphrase");
    }

    @Test
    void the_reset_email_is_in_spanish_when_asked_in_spanish_and_carries_the_postal_address() throws Exception {
        app.dsl().update(org.convoca.db.schema.Tables.ORGANIZATION)
                .set(org.convoca.db.schema.Tables.ORGANIZATION.POSTAL_ADDRESS, "123 Main St, Los Angeles, CA 90012").execute();
        Thread.sleep(5_100);  // organization settings are cached for 5 s per instance
        String email = "reset-es-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        requestLink(email, "es");
        MimeMessage mail = lastMailTo(email);
        assertThat(mail.getSubject()).isEqualTo("Restablezca su contraseña de Convoca");
        assertThat(GreenMailUtil.getBody(mail)).contains("123 Main St, Los Angeles, CA 90012");
    }

    @Test
    void an_expired_link_is_refused() throws Exception {
        String email = "expired-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        String link = requestLink(email, null);
        app.dsl().update(PASSWORD_RESETS).set(PASSWORD_RESETS.EXPIRES_AT, OffsetDateTime.now().minusMinutes(1)).execute();
        Http.Response r = app.http().get(link.substring(link.indexOf("/password")));
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.html().select("h1").text()).contains("expired");
    }

    @Test
    void asking_for_an_unknown_email_says_the_same_and_sends_nothing() {
        int before = app.smtp.getReceivedMessages().length;
        Http http = app.http();
        http.page("/password/forgot");
        Http.Response r = http.post("/password/forgot", Map.of("email", "nobody-" + System.nanoTime() + "@example.org"));
        assertThat(r.status()).isEqualTo(303);
        app.deliverMail();
        assertThat(app.smtp.getReceivedMessages()).hasSize(before);
    }
}
