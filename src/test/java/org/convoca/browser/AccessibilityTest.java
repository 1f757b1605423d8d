package org.convoca.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convoca.testsupport.Axe;
import org.convoca.testsupport.Browser;
import org.convoca.testsupport.Http;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * axe-core in headless Chromium finds no WCAG 2.2 AA violation on the public pages, in English and
 * Spanish, at phone width; each page is also saved as a 360 px screenshot for review.
 */
class AccessibilityTest {
    static TestApp app;
    static Browser browser;

    @BeforeAll
    static void start() {
        assumeTrue(Browser.available() || System.getenv("CI") != null, "Debian chromium and chromium-driver are not installed");
        app = TestApp.start();
        browser = new Browser(360, 800);
        String token = app.apiKey(app.createUser("a11y-" + System.nanoTime() + "@example.org", "organizer"));
        var campaign = app.http().json("POST", "/api/v1/campaigns", token, """
                {"title": "Counselors, not cops", "title_es": "Consejeros, no policías", "summary": "Every school deserves counselors.",
                 "description": "## Why\\n\\nStudents need **support**. [Read the report](https://example.org/report).\\n\\n- one\\n- two",
                 "target": [{"name": "LAUSD Board of Education"}], "status": "live", "slug": "a11y-campaign"}""");
        long campaignId = campaign.json().get("id").asLong();
        app.http().json("POST", "/api/v1/petitions", token, """
                {"campaign_id": %d, "title": "Fund counselors", "title_es": "Financien consejeros", "slug": "a11y-petition",
                 "status": "open", "petition_text": "Fund a counselor in every school.", "signature_goal": 500,
                 "target": [{"name": "LAUSD Board of Education", "title": "Board"}]}
                """.formatted(campaignId));
        eventId = app.http().json("POST", "/api/v1/events", token, """
                {"title": "Board meeting: counselors vote", "description": "Come with us. **Childcare** provided.",
                 "start_date": "2030-03-12T18:00", "end_date": "2030-03-12T20:00",
                 "time_zone": "America/Los_Angeles", "location": "LAUSD HQ, 333 S Beaudry Ave", "capacity": 50}
                """).json().get("identifiers").get(0).asText().replace("convoca:", "");
        long targetId = app.http().json("POST", "/api/v1/targets", token, """
                {"given_name": "Eva", "family_name": "Paz", "title": "Board Member", "email": "paz@board.example",
                 "district": "District 6", "schools": ["Van Nuys High"], "postal_codes": ["91401"]}""")
                .json().get("identifiers").get(0).asText().replace("convoca:", "").transform(Long::parseLong);
        letterId = app.http().json("POST", "/api/v1/advocacy_campaigns", token, """
                {"campaign_id": %d, "title": "Lights on after school", "subject": "Lights on at {{ school }}",
                 "body": "I am {{ given_name }}, a parent at {{ school }}.", "editable": false, "targeting": "all",
                 "target_ids": [%d], "status": "open"}""".formatted(campaignId, targetId))
                .json().get("identifiers").get(0).asText().replace("convoca:", "");

        // Self check-in opens shortly before an event starts: one tonight, for the page at the door.
        var tonight = java.time.LocalDateTime.now(java.time.ZoneId.of("America/Los_Angeles")).plusMinutes(30).withSecond(0).withNano(0);
        doorEventId = app.http().json("POST", "/api/v1/events", token, """
                {"title": "Parent meeting tonight", "description": "In the library.", "start_date": "%s", "end_date": "%s",
                 "time_zone": "America/Los_Angeles", "location": "Van Nuys High library", "capacity": 80}
                """.formatted(tonight, tonight.plusHours(2))).json().get("identifiers").get(0).asText().replace("convoca:", "");
        pages = new TokenPages(app);
        apiToken = token;
        long ana = pages.person("ana.a11y@example.org", "en");
        linkPages.put(pages.preferences(ana), "preferences");
        linkPages.put(pages.unsubscribe(ana), "unsubscribe");
        linkPages.put("/u/preview", "unsubscribe-preview");
        linkPages.put(pages.cancelPledge(token, eventId, "lupe.a11y@example.org", "en"), "event-cancel");
        linkPages.put(pages.selfCheckIn(doorEventId), "event-self-check-in");
        linkPages.put(pages.letterConfirmation(letterId, "rosa.a11y@example.org", "en"), "letter-confirm");
        linkPages.put("/letters/" + letterId + "/check-email", "letter-check-email");
        linkPages.put("/p/a11y-petition/thanks", "petition-thanks");
        linkPages.put("/p/a11y-petition/confirm?token=from-the-email", "petition-confirm");
        linkPages.put("/e/" + eventId + "/thanks", "event-thanks");
        linkPages.put("/password/reset?token=expired-or-unknown", "password-reset");
    }

    static String eventId;
    static String letterId;
    static String apiToken;
    static String doorEventId;
    static TokenPages pages;
    /** Pages reached by a link from an email, a QR code or a form: path -> screenshot name. */
    static final Map<String, String> linkPages = new java.util.LinkedHashMap<>();

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (app != null) app.close();
    }

    /** Public pages a supporter can reach; extend as features add pages. */
    static List<String> publicPages() {
        List<String> all = new ArrayList<>(List.of("/", "/c/a11y-campaign", "/p/a11y-petition", "/p/a11y-petition/embed",
                "/e/" + eventId, "/letters/" + letterId, "/login", "/password/forgot", "/no-such-page"));
        all.addAll(linkPages.keySet());
        return all;
    }

    static String shotName(String path) {
        return linkPages.containsKey(path) ? "-" + linkPages.get(path) : path.replaceAll("[^a-z0-9]+", "-");
    }

    static String withLang(String path, String lang) {
        return app.baseUrl + path + (path.contains("?") ? "&" : "?") + "lang=" + lang;
    }

    @Test
    void public_pages_have_no_wcag_aa_violations_in_either_language() {
        List<String> problems = new ArrayList<>();
        for (String lang : List.of("en", "es")) {
            for (String path : publicPages()) {
                browser.driver.get(withLang(path, lang));
                for (String v : Axe.violations(browser.driver)) problems.add(lang + " " + path + ": " + v);
                browser.screenshot("a11y" + shotName(path) + "-" + lang + "-360");
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The pages a parent sees after pressing the button on a link page: unsubscribed, preferences
     * saved, pledge cancelled, checked in at the door, letter sent. Fresh links for each language.
     */
    @Test
    void the_pages_after_a_link_page_s_button_have_no_wcag_aa_violations_in_either_language() {
        List<String> problems = new ArrayList<>();
        for (String lang : List.of("en", "es")) {
            long person = pages.person("after-" + lang + "@example.org", lang);
            Map<String, String> links = new java.util.LinkedHashMap<>();
            links.put("unsubscribed", pages.unsubscribe(person));
            links.put("preferences-saved", pages.preferences(person));
            links.put("event-cancelled", pages.cancelPledge(apiToken, eventId, "cancel-" + lang + "@example.org", lang));
            links.put("letter-sent", pages.letterConfirmation(letterId, "letter-" + lang + "@example.org", lang));
            links.put("event-checked-in", pages.selfCheckIn(doorEventId));
            for (var link : links.entrySet()) {
                var d = browser.driver;
                d.get(withLang(link.getValue(), lang));
                var email = d.findElements(org.openqa.selenium.By.id("f-email"));
                if (!email.isEmpty()) email.get(0).sendKeys("door-" + lang + "@example.org");
                var buttons = d.findElements(org.openqa.selenium.By.cssSelector("main form button[type=submit]"));
                if (buttons.isEmpty()) {
                    problems.add(lang + " " + link.getKey() + ": no button on " + d.getCurrentUrl() + ": "
                            + d.findElement(org.openqa.selenium.By.tagName("main")).getText());
                    continue;
                }
                var button = buttons.get(0);
                button.click();
                // The next page has replaced the button. While Chromium swaps documents it may say so
                // with a stale-element error or with "Node ... does not belong to the document"
                // (a plain WebDriverException, which ExpectedConditions.stalenessOf does not count).
                new org.openqa.selenium.support.ui.WebDriverWait(d, java.time.Duration.ofSeconds(10)).until(drv -> {
                    try {
                        button.isEnabled();
                        return false;
                    } catch (org.openqa.selenium.WebDriverException gone) {
                        return true;
                    }
                });
                for (String v : Axe.violations(d)) problems.add(lang + " " + link.getKey() + ": " + v);
                String shown = d.findElement(org.openqa.selenium.By.tagName("html")).getAttribute("lang");
                if (!lang.equals(shown)) problems.add(lang + " " + link.getKey() + ": the page after the button is in " + shown);
                browser.screenshot("a11y-" + link.getKey() + "-" + lang + "-360");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void a_parent_signs_the_petition_by_keyboard_alone_and_the_thank_you_page_is_accessible() throws Exception {
        var d = browser.driver;
        d.get(app.baseUrl + "/p/a11y-petition?lang=es");
        Thread.sleep(2_100);  // the form's minimum fill time, as a person typing would take
        var email = d.findElement(org.openqa.selenium.By.id("f-email"));
        d.findElement(org.openqa.selenium.By.id("f-given_name")).sendKeys("Rosa");
        d.findElement(org.openqa.selenium.By.id("f-family_name")).sendKeys("Martínez");
        email.sendKeys("rosa.keyboard@example.org");
        email.sendKeys(org.openqa.selenium.Keys.ENTER);  // submit from the keyboard
        new org.openqa.selenium.support.ui.WebDriverWait(d, java.time.Duration.ofSeconds(10))
                .until(x -> x.getCurrentUrl().contains("/thanks"));
        assertThat(Axe.violations(browser.driver)).isEmpty();
        browser.screenshot("a11y-petition-thanks-es-360");
    }

    @Test
    void a_parent_pledges_to_the_board_meeting_by_keyboard_alone() {
        var d = browser.driver;
        d.get(app.baseUrl + "/e/" + eventId);
        d.findElement(org.openqa.selenium.By.id("f-given_name")).sendKeys("Lupe");
        var email = d.findElement(org.openqa.selenium.By.id("f-email"));
        email.sendKeys("lupe.keyboard@example.org");
        email.sendKeys(org.openqa.selenium.Keys.ENTER);
        new org.openqa.selenium.support.ui.WebDriverWait(d, java.time.Duration.ofSeconds(10))
                .until(x -> x.getCurrentUrl().contains("/thanks"));
        assertThat(Axe.violations(browser.driver)).isEmpty();
        browser.screenshot("a11y-event-thanks-360");
    }

    @Test
    void public_pages_weigh_at_most_50_kb_and_load_nothing_from_other_sites() {
        for (String path : publicPages()) {
            var page = app.http().get(path);
            var doc = page.html();
            long bytes = page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            for (var link : doc.select("link[rel=stylesheet][href], link[rel=icon][href], script[src], img[src], iframe[src]")) {
                String ref = link.hasAttr("href") ? link.attr("href") : link.attr("src");
                if (ref.startsWith(app.baseUrl)) ref = ref.substring(app.baseUrl.length());
                assertThat(ref).as(path + " loads " + ref).doesNotStartWith("http").doesNotStartWith("//");
                if (link.tagName().equals("img") && ref.startsWith("data:")) continue;
                bytes += app.http().get(ref).body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            assertThat(bytes).as(path + " transfer size").isLessThanOrEqualTo(50 * 1024);
        }
    }

    @Test
    void the_check_in_page_a_leader_uses_at_the_door_is_accessible_at_phone_width() {
        String email = "door-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        var d = browser.driver;
        d.get(app.baseUrl + "/admin/events/" + eventId + "/checkin");
        d.findElement(org.openqa.selenium.By.id("f-email")).sendKeys(email);
        d.findElement(org.openqa.selenium.By.id("f-password")).sendKeys(TestApp.PASSWORD);
        d.findElement(org.openqa.selenium.By.cssSelector("form.stack button[type=submit]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(d, java.time.Duration.ofSeconds(10))
                .until(x -> x.getCurrentUrl().endsWith("/checkin"));
        for (String lang : List.of("en", "es")) {
            d.get(app.baseUrl + "/admin/events/" + eventId + "/checkin?lang=" + lang);
            assertThat(Axe.violations(browser.driver)).as(lang).isEmpty();
            browser.screenshot("a11y-checkin-" + lang + "-360");
        }
        d.manage().deleteAllCookies();
    }

    /** The one page before sign-in that only staff with a second factor see: the code form. */
    @Test
    void the_second_factor_code_page_is_accessible_in_either_language() {
        String email = "totp-a11y-" + System.nanoTime() + "@example.org";
        app.createUser(email, "organizer");
        Http staff = app.http();
        staff.login(email, TestApp.PASSWORD);
        staff.page("/admin/security");
        String secret = staff.post("/admin/security/totp", Map.of()).html().select("code.token").text();
        String code = org.convoca.auth.Totp.codeAt(secret, System.currentTimeMillis() / 1000);
        assertThat(staff.post("/admin/security/totp/confirm", Map.of("code", code)).status()).isEqualTo(303);

        var d = browser.driver;
        d.manage().deleteAllCookies();
        d.get(app.baseUrl + "/login");
        d.findElement(org.openqa.selenium.By.id("f-email")).sendKeys(email);
        d.findElement(org.openqa.selenium.By.id("f-password")).sendKeys(TestApp.PASSWORD);
        d.findElement(org.openqa.selenium.By.cssSelector("form.stack button[type=submit]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(d, java.time.Duration.ofSeconds(10))
                .until(x -> x.getCurrentUrl().endsWith("/login/code"));
        for (String lang : List.of("en", "es")) {
            d.get(app.baseUrl + "/login/code?lang=" + lang);
            assertThat(d.getCurrentUrl()).contains("/login/code");
            assertThat(Axe.violations(d)).as(lang).isEmpty();
            browser.screenshot("a11y-login-code-" + lang + "-360");
        }
        d.manage().deleteAllCookies();
    }

    @Test
    void the_checker_itself_catches_a_broken_page() {
        browser.driver.get("data:text/html,<html><body><img src='x.png'><input type='text'></body></html>");
        assertThat(Axe.violations(browser.driver)).anyMatch(v -> v.startsWith("image-alt"));
    }

    @Test
    void a_form_with_errors_stays_accessible() {
        browser.driver.get(app.baseUrl + "/password/forgot");
        browser.driver.findElement(org.openqa.selenium.By.id("f-email")).sendKeys("not-an-email");
        browser.driver.findElement(org.openqa.selenium.By.cssSelector("form.stack button[type=submit]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(10))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(org.openqa.selenium.By.id("f-email-error")));
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("f-email-error")).getText()).contains("email");
        assertThat(Axe.violations(browser.driver)).isEmpty();
    }
}
