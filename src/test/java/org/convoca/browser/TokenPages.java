package org.convoca.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convoca.db.schema.Tables.MESSAGES;
import static org.convoca.db.schema.Tables.MESSAGE_DELIVERIES;
import static org.convoca.db.schema.Tables.OUTBOX;
import static org.convoca.db.schema.Tables.PEOPLE;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convoca.db.AppSecrets;
import org.convoca.event.EventLinks;
import org.convoca.mail.LinkSigner;
import org.convoca.testsupport.TestApp;

/**
 * The public pages a parent only reaches through a link Convoca sent them (preferences,
 * unsubscribe, cancelling a pledge, confirming a letter) or a QR code at the door: the links are
 * made the way the app makes them, so the pages can be checked like any other.
 */
final class TokenPages {
    private static final Pattern LETTER_LINK = Pattern.compile("https?://[^\\s\"<]+(/letters/confirm/[A-Za-z0-9_-]+)");
    private final TestApp app;
    private final AppSecrets secrets;

    TokenPages(TestApp app) {
        this.app = app;
        this.secrets = new AppSecrets(app.dsl());
    }

    long person(String email, String language) {
        return app.dsl().insertInto(PEOPLE).set(PEOPLE.EMAIL, email).set(PEOPLE.EMAIL_NORMALIZED, email)
                .set(PEOPLE.GIVEN_NAME, "Ana").set(PEOPLE.LANGUAGE, language).set(PEOPLE.EMAIL_STATUS, "subscribed")
                .set(PEOPLE.REFERRAL_CODE, "a11y" + System.nanoTime()).returningResult(PEOPLE.ID).fetchSingle().value1();
    }

    String preferences(long personId) {
        return local(app.app.preferenceLinks().url(personId));
    }

    /** The unsubscribe link of a blast email that went to this person. */
    String unsubscribe(long personId) {
        long message = app.dsl().insertInto(MESSAGES).set(MESSAGES.SUBJECT, "Board vote").set(MESSAGES.BODY, "Come with us")
                .set(MESSAGES.STATUS, "sent").returningResult(MESSAGES.ID).fetchSingle().value1();
        long delivery = app.dsl().insertInto(MESSAGE_DELIVERIES).set(MESSAGE_DELIVERIES.MESSAGE_ID, message)
                .set(MESSAGE_DELIVERIES.PERSON_ID, personId).set(MESSAGE_DELIVERIES.STATUS, "sent")
                .returningResult(MESSAGE_DELIVERIES.ID).fetchSingle().value1();
        return local(new LinkSigner(secrets, app.baseUrl).unsubscribeUrl(delivery));
    }

    /** A pledge made through the API, and the cancel link its emails carry. */
    String cancelPledge(String token, String eventId, String email, String language) {
        var r = app.http().json("POST", "/api/v1/events/" + eventId + "/attendances", token, """
                {"person": {"given_name": "Lupe", "email_addresses": [{"address": "%s"}], "languages_spoken": ["%s"]},
                 "status": "accepted"}""".formatted(email, language));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        long attendance = Long.parseLong(r.json().get("identifiers").get(0).asText().replace("convoca:", ""));
        return local(new EventLinks(app.baseUrl, secrets).cancelUrl(Long.parseLong(eventId), attendance));
    }

    /** The page behind the QR code at the door. */
    String selfCheckIn(String eventId) {
        return local(new EventLinks(app.baseUrl, secrets).selfCheckInUrl(Long.parseLong(eventId)));
    }

    /** Writes the letter through the public form and returns the confirmation link from the email. */
    String letterConfirmation(String letterId, String email, String language) {
        Map<String, String> f = new HashMap<>(Map.of("given_name", "Rosa", "family_name", "Pérez", "email", email,
                "postal_code", "91401", "school", "Van Nuys High", "story", "One counselor for 700 kids.", "step", "send",
                "language", language));
        var sent = app.http().postRaw("/letters/" + letterId, f);
        assertThat(sent.status()).as(sent.body()).isEqualTo(303);
        // The link as the email carries it, read from the outbox row the same transaction wrote.
        for (String text : app.dsl().select(OUTBOX.TEXT_BODY).from(OUTBOX).where(OUTBOX.TO_ADDRESS.eq(email)).fetch(OUTBOX.TEXT_BODY)) {
            Matcher link = LETTER_LINK.matcher(text);
            if (link.find()) return link.group(1);
        }
        throw new AssertionError("no letter confirmation email to " + email);
    }

    private String local(String url) {
        assertThat(url).startsWith(app.baseUrl);
        return url.substring(app.baseUrl.length());
    }
}
