package org.convoca.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.convoca.App;
import org.convoca.Config;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.auth.StaffAccounts;
import org.convoca.auth.User;
import org.convoca.auth.UserRepository;
import org.convoca.db.Database;
import org.convoca.db.DatabaseUrl;
import org.jooq.DSLContext;

/**
 * The real app over HTTP, on a fresh PostgreSQL database of its own, sending mail to a real
 * in-process SMTP server (GreenMail). One per test class; close it in @AfterAll.
 */
public final class TestApp implements AutoCloseable {
    public static final String PASSWORD = "a long enough passphrase";

    public final GreenMail smtp;
    public final Database db;
    public final App app;
    public final String baseUrl;
    public final DatabaseUrl databaseUrl;

    private TestApp(boolean withSmtp) {
        this(withSmtp, TestDatabase.fresh());
    }

    private TestApp(boolean withSmtp, DatabaseUrl database) {
        this(withSmtp, database, false);
    }

    private TestApp(boolean withSmtp, DatabaseUrl database, boolean httpsBaseUrl) {
        this(withSmtp, database, httpsBaseUrl, System.getenv());
    }

    private TestApp(boolean withSmtp, DatabaseUrl database, boolean httpsBaseUrl, java.util.Map<String, String> env) {
        this(withSmtp, database, httpsBaseUrl, env, null);
    }

    private TestApp(boolean withSmtp, DatabaseUrl database, boolean httpsBaseUrl, java.util.Map<String, String> env,
                    Config.Smtp otherSmtp) {
        this.databaseUrl = database;
        this.db = new Database(databaseUrl, 10);
        int port = freePort();
        // 127.0.0.1, not localhost: java.net.CookieManager refuses cookies for dotless hosts.
        this.baseUrl = "http://127.0.0.1:" + port;
        String publicUrl = httpsBaseUrl ? "https://convoca.example" : baseUrl;
        Config.Smtp smtpConfig = otherSmtp != null ? otherSmtp : Config.Smtp.none();
        if (withSmtp && otherSmtp == null) {
            smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            smtpConfig = new Config.Smtp(Optional.of("127.0.0.1"), smtp.getSmtp().getPort(), Optional.empty(),
                    Optional.empty(), Config.Smtp.Security.NONE);
        } else {
            smtp = null;
        }
        Config config = new Config(Optional.of(databaseUrl.jdbcUrl()), port, publicUrl, Path.of("target/test-data"),
                Optional.empty(), smtpConfig, Optional.empty(), Optional.empty(), "US", Optional.of("test-metrics-token"), 500);
        this.app = new App(config, db, true, env).start();
    }

    public static TestApp start() {
        return new TestApp(true);
    }

    /** Another Convoca instance on the same database (and its own SMTP server), as in a multi-instance deployment. */
    public TestApp secondInstance() {
        return new TestApp(smtp != null, databaseUrl);
    }

    /** The app as deployed behind an HTTPS proxy (BASE_URL https), still served over plain HTTP here. */
    public static TestApp startBehindHttps() {
        return new TestApp(false, TestDatabase.fresh(), true);
    }

    /** With feature settings of its own (BOUNCE_DOMAIN…) instead of the process environment. */
    public static TestApp startWithEnvironment(java.util.Map<String, String> env) {
        return new TestApp(true, TestDatabase.fresh(), false, env);
    }

    /** Sending to another SMTP server (a scripted one) instead of GreenMail; {@link #smtp} is null. */
    public static TestApp startSendingTo(Config.Smtp smtp) {
        return new TestApp(false, TestDatabase.fresh(), false, System.getenv(), smtp);
    }

    public static TestApp startWithoutSmtp() {
        return new TestApp(false);
    }

    public DSLContext dsl() {
        return db.dsl();
    }

    public Http http() {
        return new Http(baseUrl);
    }

    public User createUser(String email, String role) {
        StaffAccounts.Result r = new StaffAccounts(new UserRepository(dsl())).create(email, "Test " + role, role, PASSWORD);
        if (!r.errors().isEmpty()) throw new IllegalStateException(r.errors().toString());
        return r.user();
    }

    public String apiKey(User user) {
        return new ApiKeyRepository(dsl()).create(user.id(), "test");
    }

    /** A browser-like client already signed in as a new user with this role. */
    public Http signedIn(String role) {
        String email = role + "-" + System.nanoTime() + "@example.org";
        createUser(email, role);
        Http http = http();
        http.login(email, PASSWORD);
        return http;
    }

    /** Delivers whatever the outbox holds now (instead of waiting for the sender's next tick). */
    public int deliverMail() {
        return app.outboxSender().orElseThrow().drain();
    }

    /** The emails GreenMail received for an address (a substring of the first recipient). */
    public java.util.List<jakarta.mail.internet.MimeMessage> mailTo(String address) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().contains(address);
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }

    @Override
    public void close() {
        app.close();
        db.close();
        if (smtp != null) smtp.stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
