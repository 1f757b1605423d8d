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
    }

    static String eventId;
    static String letterId;

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (app != null) app.close();
    }

    /** Public pages a supporter can reach; extend as features add pages. */
    static List<String> publicPages() {
        return List.of("/", "/c/a11y-campaign", "/p/a11y-petition", "/p/a11y-petition/embed", "/e/" + eventId,
                "/letters/" + letterId, "/login",
                "/password/forgot", "/no-such-page");
    }

    @Test
    void public_pages_have_no_wcag_aa_violations_in_either_language() {
        List<String> problems = new ArrayList<>();
        for (String lang : List.of("en", "es")) {
            for (String path : publicPages()) {
                String url = app.baseUrl + path + (path.contains("?") ? "&" : "?") + "lang=" + lang;
                browser.driver.get(url);
                for (String v : Axe.violations(browser.driver)) problems.add(lang + " " + path + ": " + v);
                browser.screenshot("a11y" + path.replaceAll("[^a-z0-9]+", "-") + "-" + lang + "-360");
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
