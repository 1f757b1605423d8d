package org.convoca.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.convoca.testsupport.Browser;
import org.convoca.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import java.time.Duration;

/** A person clicks through in a real Chromium at phone width: sign in, create and publish a campaign. */
class OrganizerJourneyTest {
    static TestApp app;
    static Browser browser;

    @BeforeAll
    static void start() {
        // CI installs Debian's chromium (.ci/run); failing here, rather than skipping, keeps the journey honest there.
        assumeTrue(Browser.available() || System.getenv("CI") != null, "Debian chromium and chromium-driver are not installed");
        app = TestApp.start();
        browser = new Browser(360, 800);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (app != null) app.close();
    }

    static WebDriverWait waitFor() {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(10));
    }

    static void waitForFlash(String text) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBe(By.cssSelector(".flash"), text));
    }

    @Test
    void an_organizer_signs_in_creates_a_campaign_publishes_it_and_sees_the_public_page() {
        app.createUser("journey@example.org", "organizer");
        WebDriver d = browser.driver;

        d.get(app.baseUrl + "/admin/campaigns/new");
        assertThat(d.getCurrentUrl()).contains("/login?next=");
        d.findElement(By.id("f-email")).sendKeys("journey@example.org");
        d.findElement(By.id("f-password")).sendKeys(TestApp.PASSWORD);
        browser.screenshot("login-360");
        d.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        waitFor().until(ExpectedConditions.urlMatches("/admin/campaigns/new$"));

        // Submitting empty shows the error next to the field, focusable from the summary.
        d.findElement(By.cssSelector("form.stack button[type=submit]")).click();
        waitFor().until(ExpectedConditions.presenceOfElementLocated(By.id("f-title-error")));
        assertThat(d.findElement(By.id("f-title-error")).getText()).isEqualTo("This field is required.");
        assertThat(d.findElement(By.id("f-title")).getAttribute("aria-describedby")).contains("f-title-error");

        d.findElement(By.id("f-title")).sendKeys("Counselors, not cops");
        d.findElement(By.id("f-title_es")).sendKeys("Consejeros, no policías");
        d.findElement(By.id("f-summary")).sendKeys("Every school deserves counselors.");
        d.findElement(By.id("f-description")).sendKeys("Join **UPEJ** at the board meeting.");
        d.findElement(By.id("f-targets")).sendKeys("LAUSD Board of Education");
        browser.screenshot("campaign-form-360");
        d.findElement(By.cssSelector("form.stack button[type=submit]")).click();

        waitForFlash("The campaign was saved.");
        List<WebElement> buttons = d.findElements(By.cssSelector(".actions button"));
        buttons.stream().filter(b -> b.getText().equals("Publish")).findFirst().orElseThrow().click();
        waitForFlash("The campaign status was changed.");

        WebElement publicLink = d.findElement(By.cssSelector("main a[href$='/c/counselors-not-cops']"));
        d.get(publicLink.getAttribute("href"));
        waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".prose")));
        assertThat(d.findElement(By.tagName("h1")).getText()).isEqualTo("Counselors, not cops");
        assertThat(d.findElement(By.cssSelector(".prose strong")).getText()).isEqualTo("UPEJ");
        // Nothing is wider than the phone: no horizontal scrolling at 360 px.
        Object scrollWidth = browser.driver.executeScript("return document.documentElement.scrollWidth");
        assertThat(((Number) scrollWidth).intValue()).isLessThanOrEqualTo(360);
        browser.screenshot("campaign-public-360");

        d.findElement(By.cssSelector("nav.langs a")).click();
        waitFor().until(ExpectedConditions.textToBe(By.tagName("h1"), "Consejeros, no policías"));
        browser.screenshot("campaign-public-360-es");
    }
}
