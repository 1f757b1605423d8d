package org.convoca;

import static org.convoca.web.Role.ADMIN;
import static org.convoca.web.Role.LEADER;
import static org.convoca.web.Role.ORGANIZER;
import static org.convoca.web.Role.PUBLIC;
import static org.convoca.web.Role.PUBLIC_FORM;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.convoca.auth.ApiKeyRepository;
import org.convoca.auth.AuthRoutes;
import org.convoca.auth.LoginThrottle;
import org.convoca.auth.PasswordResetRepository;
import org.convoca.auth.SessionRepository;
import org.convoca.auth.StaffAccounts;
import org.convoca.auth.StaffAdminRoutes;
import org.convoca.auth.UserRepository;
import org.convoca.campaign.CampaignAdminRoutes;
import org.convoca.campaign.CampaignApi;
import org.convoca.campaign.CampaignPage;
import org.convoca.campaign.CampaignRepository;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Mailer;
import org.convoca.mail.Outbox;
import org.convoca.mail.OutboxAdminRoutes;
import org.convoca.mail.OutboxSender;
import org.convoca.mail.SmtpMailer;
import org.convoca.settings.Organization;
import org.convoca.settings.OrganizationRepository;
import org.convoca.settings.SettingsRoutes;
import org.convoca.web.Access;
import org.convoca.web.Cookies;
import org.convoca.web.ErrorPages;
import org.convoca.web.Halt;
import org.convoca.web.Health;
import org.convoca.web.HtmlError;
import org.convoca.web.Json;
import org.convoca.web.Messages;
import org.convoca.web.Problem;
import org.convoca.web.SecurityHeaders;
import org.convoca.web.Templates;
import org.convoca.web.Views;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Convoca's web application, built from its dependencies so tests can start it. The route table
 * in {@link #routes} is the one place that says which URL does what and who may call it.
 */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final Config config;
    private final Javalin javalin;
    private final OutboxSender sender;
    private final ScheduledExecutorService housekeeping;

    // Features, wired in the constructor.
    private final Health health;
    private final AuthRoutes auth;
    private final StaffAdminRoutes staff;
    private final CampaignAdminRoutes campaignAdmin;
    private final CampaignPage campaignPage;
    private final CampaignApi campaignApi;
    private final OutboxAdminRoutes outboxAdmin;
    private final SettingsRoutes settings;
    private final Views views;
    private final Access access;
    private final ErrorPages errors;
    private final SecurityHeaders securityHeaders;
    private org.convoca.supporter.PeopleAdminRoutes peopleAdmin;
    private org.convoca.supporter.TagListRoutes tagLists;
    private org.convoca.supporter.PeopleApi peopleApi;
    private org.convoca.supporter.TagsApi tagsApi;
    private org.convoca.supporter.SegmentRoutes segmentRoutes;
    private org.convoca.supporter.imports.ImportWorker importWorker;
    private org.convoca.supporter.PreferenceRoutes preferences;
    private org.convoca.supporter.imports.ImportRoutes importRoutes;
    private org.convoca.supporter.imports.ImportApi importApi;

    public App(Config config, Database db, boolean strictTemplates) {
        this.config = config;
        DSLContext dsl = db.dsl();
        AppSecrets secrets = new AppSecrets(dsl);
        Messages messages = new Messages();
        Templates templates = new Templates(messages, config.templatesDir(), strictTemplates);
        OrganizationRepository organization = new OrganizationRepository(dsl);
        Cookies cookies = new Cookies(config.https());
        UserRepository users = new UserRepository(dsl);
        SessionRepository sessions = new SessionRepository(dsl);
        ApiKeyRepository apiKeys = new ApiKeyRepository(dsl);
        this.access = new Access(sessions, apiKeys, cookies);
        this.views = new Views(templates, organization, access);
        this.errors = new ErrorPages(views);
        this.securityHeaders = new SecurityHeaders(config.https());
        EmailRenderer emails = new EmailRenderer(templates, organization);
        Outbox outbox = new Outbox(dsl);
        CampaignRepository campaigns = new CampaignRepository(dsl);

        this.health = new Health(dsl);
        this.auth = new AuthRoutes(dsl, views, users, sessions, new LoginThrottle(dsl), new PasswordResetRepository(dsl),
                emails, secrets, cookies, config);
        this.staff = new StaffAdminRoutes(users, new StaffAccounts(users), apiKeys, views);
        this.campaignAdmin = new CampaignAdminRoutes(campaigns, views, config.baseUrl());
        this.campaignPage = new CampaignPage(campaigns, views, config.baseUrl());
        this.campaignApi = new CampaignApi(campaigns, config.baseUrl());
        this.outboxAdmin = new OutboxAdminRoutes(outbox, views, config.smtp().host().isPresent());
        this.settings = new SettingsRoutes(organization, views);

        // --- petitions wiring ---

        // --- people wiring ---
        this.peopleAdmin = new org.convoca.supporter.PeopleAdminRoutes(dsl, views, config.phoneRegion());
        this.tagLists = new org.convoca.supporter.TagListRoutes(dsl, views);
        this.peopleApi = new org.convoca.supporter.PeopleApi(dsl, secrets, config.phoneRegion());
        this.tagsApi = new org.convoca.supporter.TagsApi(dsl);
        this.segmentRoutes = new org.convoca.supporter.SegmentRoutes(dsl, views);
        this.importWorker = new org.convoca.supporter.imports.ImportWorker(dsl, config.phoneRegion()).start();
        this.preferences = new org.convoca.supporter.PreferenceRoutes(dsl, secrets, config.baseUrl(), views);
        var imports = new org.convoca.supporter.imports.Imports(dsl, importWorker);
        this.importRoutes = new org.convoca.supporter.imports.ImportRoutes(imports, views);
        this.importApi = new org.convoca.supporter.imports.ImportApi(imports);

        // --- events wiring ---

        // --- letters wiring ---

        this.javalin = Javalin.create(this::configure);
        this.sender = config.smtp().host().isPresent()
                ? new OutboxSender(outbox, new SmtpMailer(config.smtp(), URI.create(config.baseUrl()).getHost()),
                        () -> sender(organization.get()))
                : null;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        LoginThrottle throttle = new LoginThrottle(dsl);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                sessions.deleteExpired();
                throttle.deleteOld();
            } catch (RuntimeException e) {
                log.warn("Housekeeping skipped: {}", e.getMessage());
            }
        }, 1, 10, TimeUnit.MINUTES);
    }

    private void configure(JavalinConfig cfg) {
        cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        cfg.http.defaultContentType = "text/plain; charset=utf-8";
        cfg.http.maxRequestSize = 10_000_000L;
        cfg.startup.showJavalinBanner = false;
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = "/static";
            sf.directory = "/static";
            sf.location = Location.CLASSPATH;
        });
        cfg.jetty.modifyServer(server -> server.setStopTimeout(5_000));
        routes(cfg);
    }

    private void routes(JavalinConfig cfg) {
        var r = cfg.routes;
        r.before(securityHeaders::apply);
        r.before(access::resolvePrincipal);
        r.beforeMatched(access::enforce);

        r.exception(Halt.class, (e, ctx) -> { });
        r.exception(Problem.class, errors::problem);
        r.exception(HtmlError.class, errors::htmlError);
        r.exception(Exception.class, errors::unexpected);
        r.error(404, ctx -> {
            if (!ErrorPages.alreadyRendered(ctx)) errors.notFound(ctx);
        });

        // Public
        r.get("/healthz", health::check, PUBLIC);
        r.get("/", campaignPage::home, PUBLIC);
        r.get("/c/{slug}", campaignPage::show, PUBLIC);

        // Staff sign-in
        r.get("/login", auth::loginForm, PUBLIC);
        r.post("/login", auth::login, PUBLIC);
        r.post("/logout", auth::logout, LEADER);
        r.get("/password/forgot", auth::forgotForm, PUBLIC);
        r.post("/password/forgot", auth::forgot, PUBLIC);
        r.get("/password/reset", auth::resetForm, PUBLIC);
        r.post("/password/reset", auth::reset, PUBLIC);

        // Admin
        r.get("/admin", ctx -> views.render(ctx, "admin/home", Map.of()), LEADER);
        r.get("/admin/campaigns", campaignAdmin::list, ORGANIZER);
        r.get("/admin/campaigns/new", campaignAdmin::newForm, ORGANIZER);
        r.post("/admin/campaigns", campaignAdmin::create, ORGANIZER);
        r.get("/admin/campaigns/{id}", campaignAdmin::show, ORGANIZER);
        r.get("/admin/campaigns/{id}/edit", campaignAdmin::editForm, ORGANIZER);
        r.post("/admin/campaigns/{id}", campaignAdmin::update, ORGANIZER);
        r.post("/admin/campaigns/{id}/status", campaignAdmin::changeStatus, ORGANIZER);
        r.get("/admin/outbox", outboxAdmin::list, ORGANIZER);
        r.get("/admin/outbox/{id}", outboxAdmin::show, ORGANIZER);
        r.get("/admin/settings", settings::page, ADMIN);
        r.post("/admin/settings", settings::save, ADMIN);
        r.get("/admin/users", staff::users, ADMIN);
        r.post("/admin/users", staff::createUser, ADMIN);
        r.get("/admin/api-keys", staff::apiKeys, ADMIN);
        r.post("/admin/api-keys", staff::createApiKey, ADMIN);
        r.post("/admin/api-keys/{id}/revoke", staff::revokeApiKey, ADMIN);

        // JSON API
        r.get("/api/v1/campaigns", campaignApi::list, ORGANIZER);
        r.post("/api/v1/campaigns", campaignApi::create, ORGANIZER);
        r.get("/api/v1/campaigns/{id}", campaignApi::read, ORGANIZER);
        r.put("/api/v1/campaigns/{id}", campaignApi::update, ORGANIZER);
        r.get("/api/v1/organization", settings::apiRead, ORGANIZER);
        r.put("/api/v1/organization", settings::apiUpdate, ADMIN);

        // --- petitions routes ---

        // --- people routes ---
        r.get("/preferences", preferences::page, PUBLIC);
        r.post("/preferences", preferences::save, PUBLIC);
        r.post("/preferences/one-click", preferences::oneClick, PUBLIC_FORM);
        r.get("/admin/people", peopleAdmin::list, ORGANIZER);
        r.get("/admin/people/export.csv", peopleAdmin::exportCsv, ORGANIZER);
        r.post("/admin/people/bulk-tags", peopleAdmin::bulkTag, ORGANIZER);
        r.get("/admin/people/{id}", peopleAdmin::show, ORGANIZER);
        r.get("/admin/people/{id}/edit", peopleAdmin::editForm, ORGANIZER);
        r.post("/admin/people/{id}", peopleAdmin::update, ORGANIZER);
        r.post("/admin/people/{id}/erase", peopleAdmin::erase, ORGANIZER);
        r.post("/admin/people/{id}/merge", peopleAdmin::merge, ORGANIZER);
        r.get("/admin/people/{id}/export.json", peopleAdmin::exportJson, ADMIN);
        r.post("/admin/people/{id}/tags", peopleAdmin::addTag, ORGANIZER);
        r.post("/admin/people/{id}/tags/remove", peopleAdmin::removeTag, ORGANIZER);
        r.post("/admin/people/{id}/lists", tagLists::addPerson, ORGANIZER);
        r.get("/admin/tags", tagLists::tags, ORGANIZER);
        r.get("/admin/lists", tagLists::lists, ORGANIZER);
        r.post("/admin/lists", tagLists::createList, ORGANIZER);
        r.post("/admin/lists/add-search", tagLists::addSearch, ORGANIZER);
        r.get("/admin/lists/{id}", tagLists::showList, ORGANIZER);
        r.get("/admin/lists/{id}/export.csv", tagLists::exportList, ORGANIZER);
        r.post("/admin/lists/{id}/delete", tagLists::deleteList, ORGANIZER);
        r.post("/admin/lists/{id}/members/{personId}/remove", tagLists::removeMember, ORGANIZER);
        r.get("/admin/segments", segmentRoutes::list, ORGANIZER);
        r.get("/admin/segments/new", segmentRoutes::newForm, ORGANIZER);
        r.post("/admin/segments", segmentRoutes::create, ORGANIZER);
        r.get("/admin/segments/{id}", segmentRoutes::show, ORGANIZER);
        r.post("/admin/segments/{id}", segmentRoutes::update, ORGANIZER);
        r.post("/admin/segments/{id}/delete", segmentRoutes::delete, ORGANIZER);
        r.get("/admin/segments/{id}/export.csv", segmentRoutes::exportCsv, ORGANIZER);
        r.get("/admin/imports", importRoutes::list, ORGANIZER);
        r.post("/admin/imports", importRoutes::upload, ORGANIZER);
        r.get("/admin/imports/{id}", importRoutes::show, ORGANIZER);
        r.post("/admin/imports/{id}/start", importRoutes::start, ORGANIZER);
        r.get("/admin/imports/{id}/errors.csv", importRoutes::errorsCsv, ORGANIZER);
        r.get("/api/v1/imports", importApi::list, ORGANIZER);
        r.post("/api/v1/imports", importApi::create, ORGANIZER);
        r.get("/api/v1/imports/{id}", importApi::read, ORGANIZER);
        r.get("/api/v1/people", peopleApi::list, LEADER);
        r.post("/api/v1/people", peopleApi::signup, ORGANIZER);
        r.get("/api/v1/people/{id}", peopleApi::read, LEADER);
        r.put("/api/v1/people/{id}", peopleApi::update, ORGANIZER);
        r.delete("/api/v1/people/{id}", peopleApi::delete, ORGANIZER);
        r.get("/api/v1/tags", tagsApi::listTags, ORGANIZER);
        r.post("/api/v1/tags", tagsApi::createTag, ORGANIZER);
        r.get("/api/v1/tags/{id}", tagsApi::readTag, ORGANIZER);
        r.get("/api/v1/lists", tagsApi::listLists, ORGANIZER);
        r.post("/api/v1/lists", tagsApi::createList, ORGANIZER);
        r.get("/api/v1/lists/{id}", tagsApi::readList, ORGANIZER);

        // --- events routes ---

        // --- letters routes ---
    }

    private Mailer.Sender sender(Organization org) {
        String address = config.mailFrom().orElse(org.senderEmail());
        return new Mailer.Sender(address, org.senderName().isBlank() ? org.name() : org.senderName());
    }

    public App start() {
        javalin.start(config.port());
        if (sender != null) sender.start(Duration.ofSeconds(1));
        return this;
    }

    public int port() {
        return javalin.port();
    }

    public Javalin javalin() {
        return javalin;
    }

    public org.convoca.supporter.PreferenceLinks preferenceLinks() {
        return preferences.links();
    }

    public org.convoca.supporter.imports.ImportWorker importWorker() {
        return importWorker;
    }

    public Optional<OutboxSender> outboxSender() {
        return Optional.ofNullable(sender);
    }

    @Override
    public void close() {
        if (sender != null) sender.close();
        if (importWorker != null) importWorker.close();
        housekeeping.shutdownNow();
        javalin.stop();
    }
}
