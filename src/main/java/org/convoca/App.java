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
import org.convoca.auth.Reauthentication;
import org.convoca.auth.StaffAdminRoutes;
import org.convoca.auth.TwoFactorRepository;
import org.convoca.auth.TwoFactorRoutes;
import org.convoca.auth.UserRepository;
import org.convoca.campaign.CampaignAdminRoutes;
import org.convoca.campaign.CampaignApi;
import org.convoca.campaign.CampaignPage;
import org.convoca.campaign.CampaignRepository;
import org.convoca.db.AppSecrets;
import org.convoca.db.Database;
import org.convoca.letter.LetterModule;
import org.convoca.mail.EmailRenderer;
import org.convoca.mail.Mailer;
import org.convoca.mail.Outbox;
import org.convoca.mail.OutboxAdminRoutes;
import org.convoca.mail.OutboxSender;
import org.convoca.mail.SmtpMailer;
import org.convoca.ops.Metrics;
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
    private final TwoFactorRoutes twoFactor;
    private final Reauthentication reauth;
    private final Metrics metrics;
    private final CampaignAdminRoutes campaignAdmin;
    private final CampaignPage campaignPage;
    private final CampaignApi campaignApi;
    private final OutboxAdminRoutes outboxAdmin;
    private final SettingsRoutes settings;
    private final Views views;
    private final Access access;
    private final ErrorPages errors;
    private final SecurityHeaders securityHeaders;
    private final LetterModule letters;  // wired under "letters wiring"
    // Petitions (wired under "petitions wiring").
    private final org.convoca.petition.PetitionAdminRoutes petitionAdmin;
    private final org.convoca.petition.SignatureAdminRoutes signatureAdmin;
    private final org.convoca.petition.PetitionPage petitionPage;
    private final org.convoca.petition.PetitionApi petitionApi;
    private final org.convoca.petition.Signing signing;
    private final org.convoca.petition.BotGuard botGuard;
    private final org.convoca.event.EventModule events;
    private org.convoca.supporter.PeopleAdminRoutes peopleAdmin;
    private org.convoca.supporter.TagListRoutes tagLists;
    private org.convoca.supporter.PeopleApi peopleApi;
    private org.convoca.supporter.TagsApi tagsApi;
    private org.convoca.mail.MessagesApi messagesApi;
    private org.convoca.mail.MessageAdminRoutes messageAdmin;
    private org.convoca.mail.RecipientRoutes recipientRoutes;
    private org.convoca.mail.BlastSender blastSender;
    private org.convoca.mail.inbound.InboundWiring inbound;
    private org.convoca.supporter.SegmentRoutes segmentRoutes;
    private org.convoca.supporter.imports.ImportWorker importWorker;
    private org.convoca.supporter.PreferenceRoutes preferences;
    private org.convoca.supporter.imports.ImportRoutes importRoutes;
    private org.convoca.supporter.imports.ImportApi importApi;

    public App(Config config, Database db, boolean strictTemplates) {
        this(config, db, strictTemplates, System.getenv());
    }

    /** {@code env}: feature settings read outside {@link Config} (mail, DKIM, bounce inbox); tests pass their own. */
    public App(Config config, Database db, boolean strictTemplates, java.util.Map<String, String> env) {
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
        this.twoFactor = new TwoFactorRoutes(new TwoFactorRepository(dsl), sessions, users, views, cookies);
        auth.withTwoFactor(twoFactor);
        this.reauth = new Reauthentication(sessions, users, views);
        this.staff = new StaffAdminRoutes(users, new StaffAccounts(users), apiKeys, views);
        this.campaignAdmin = new CampaignAdminRoutes(campaigns, views, config.baseUrl());
        this.campaignPage = new CampaignPage(campaigns, views, config.baseUrl());
        this.campaignApi = new CampaignApi(campaigns, config.baseUrl());
        this.outboxAdmin = new OutboxAdminRoutes(outbox, views, config.smtp().host().isPresent());
        this.settings = new SettingsRoutes(organization, views);

        // --- petitions wiring ---
        var petitions = new org.convoca.petition.PetitionRepository(dsl);
        var signatures = new org.convoca.petition.SignatureRepository(dsl);
        var shareLinks = new org.convoca.petition.ShareLinks(config.baseUrl());
        var foreground = new org.convoca.ops.ForegroundWork();
        var signing = new org.convoca.petition.Signing(dsl, emails, shareLinks, config.phoneRegion()).foreground(foreground);
        this.signing = signing;
        var botGuard = new org.convoca.petition.BotGuard(dsl, secrets, org.convoca.petition.BotGuard.configuredPerMinute());
        this.botGuard = botGuard;
        signing.formLimit(botGuard);
        this.petitionAdmin = new org.convoca.petition.PetitionAdminRoutes(petitions, signatures, campaigns, shareLinks, views);
        this.signatureAdmin = new org.convoca.petition.SignatureAdminRoutes(petitions, signatures, views);
        this.petitionPage = new org.convoca.petition.PetitionPage(petitions, signatures, signing, botGuard, shareLinks,
                secrets, views, config.phoneRegion());
        campaignPage.linkPetitions((campaignId, lang) -> petitions.byCampaign(campaignId).stream()
                .filter(org.convoca.petition.Petition::isOpen)
                .map(p -> Map.<String, Object>of("title", p.title(lang), "url", shareLinks.pageUrl(p) + "?lang=" + lang.code(),
                        "count", petitions.count(p.id())))
                .toList());
        this.petitionApi = new org.convoca.petition.PetitionApi(petitions, signatures, campaigns, signing, shareLinks,
                secrets, config.baseUrl(), config.phoneRegion());

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
        this.events = new org.convoca.event.EventModule(dsl, views, secrets, emails, organization, messages, campaigns,
                config.baseUrl(), config.phoneRegion());

        // --- letters wiring ---
        this.letters = new LetterModule(dsl, views, emails, secrets, campaigns, config);

        // --- mail wiring ---
        org.convoca.mail.MailWiring mail = new org.convoca.mail.MailWiring(config, dsl, templates, views, secrets,
                organization, env);
        this.messagesApi = mail.api();
        this.messageAdmin = mail.admin();
        this.recipientRoutes = mail.recipientRoutes();
        this.blastSender = mail.sender();
        mail.yieldTo(foreground);
        this.inbound = mail.inbound();

        this.sender = config.smtp().host().isPresent()
                ? new OutboxSender(outbox, new SmtpMailer(config.smtp(), URI.create(config.baseUrl()).getHost()),
                        () -> sender(organization.get()))
                : null;
        OutboxSender senderForMetrics = sender;
        this.metrics = new Metrics(dsl, config.metricsToken(), () -> senderForMetrics == null ? 0L : senderForMetrics.sentCount());
        this.javalin = Javalin.create(this::configure);
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
                letters.housekeeping();
            } catch (RuntimeException e) {
                log.warn("Housekeeping skipped: {}", e.getMessage());
            }
        }, 1, 10, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(new org.convoca.supporter.SearchIndexUpkeep(dsl),
                org.convoca.supporter.SearchIndexUpkeep.EVERY_MILLIS, org.convoca.supporter.SearchIndexUpkeep.EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
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
            sf.roles = java.util.Set.of(PUBLIC);
            sf.headers = Map.of("Cache-Control", "public, max-age=3600");
        });
        cfg.jetty.modifyServer(server -> server.setStopTimeout(5_000));
        cfg.requestLogger.http((ctx, ms) -> metrics.record(ctx, ms));
        routes(cfg);
    }

    private void routes(JavalinConfig cfg) {
        var r = cfg.routes;
        r.before(securityHeaders::apply);
        r.before(access::resolvePrincipal);
        // Read form and JSON bodies before any answer (a 404 for a bad id, a 401): a reply sent while
        // the client is still uploading makes the server drop the connection instead of answering.
        // Javalin caches the bytes, and parses form fields from them. CSV uploads stay streamed.
        r.before(ctx -> {
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
            if (ctx.method() != io.javalin.http.HandlerType.GET
                    && (type.startsWith("application/json") || type.startsWith("application/x-www-form-urlencoded"))) {
                ctx.bodyAsBytes();
            }
        });
        r.beforeMatched(access::enforce);
        r.after(securityHeaders::charset);

        r.exception(Halt.class, (e, ctx) -> { });
        r.exception(Problem.class, errors::problem);
        r.exception(HtmlError.class, errors::htmlError);
        r.exception(Exception.class, errors::unexpected);
        r.error(404, ctx -> {
            if (!ErrorPages.alreadyRendered(ctx)) errors.notFound(ctx);
        });

        // Public
        r.get("/healthz", health::check, PUBLIC);
        r.get("/metrics", metrics::scrape, PUBLIC);  // bearer METRICS_TOKEN, checked in the handler
        r.get("/", campaignPage::home, PUBLIC);
        r.get("/c/{slug}", campaignPage::show, PUBLIC);

        // Staff sign-in
        r.get("/login", auth::loginForm, PUBLIC);
        r.post("/login", auth::login, PUBLIC);
        r.post("/logout", auth::logout, LEADER);
        r.get("/login/code", twoFactor::codeForm, PUBLIC);
        r.post("/login/code", twoFactor::verifyCode, PUBLIC);
        r.get("/password/forgot", auth::forgotForm, PUBLIC);
        r.post("/password/forgot", auth::forgot, PUBLIC);
        r.get("/password/reset", auth::resetForm, PUBLIC);
        r.post("/password/reset", auth::reset, PUBLIC);

        // Admin
        r.get("/admin", ctx -> views.render(ctx, "admin/home", Map.of()), LEADER);
        r.get("/admin/password", auth::passwordForm, LEADER);
        r.post("/admin/password", auth::changePassword, LEADER);
        r.get("/admin/confirm", reauth::form, LEADER);
        r.post("/admin/confirm", reauth::confirm, LEADER);
        r.get("/admin/security", twoFactor::securityPage, LEADER);
        r.post("/admin/security/totp", twoFactor::startEnrollment, LEADER);
        r.post("/admin/security/totp/confirm", twoFactor::confirmEnrollment, LEADER);
        r.post("/admin/security/totp/disable", twoFactor::disable, LEADER);
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
        r.get("/p/{slug}", petitionPage::show, PUBLIC);
        r.post("/p/{slug}/sign", petitionPage::sign, org.convoca.web.Role.PUBLIC_FORM);
        r.get("/p/{slug}/thanks", petitionPage::thanks, PUBLIC);
        r.get("/p/{slug}/confirm", petitionPage::confirmForm, PUBLIC);
        r.post("/p/{slug}/confirm", petitionPage::confirm, PUBLIC);
        r.get("/p/{slug}/embed", petitionPage::embed, PUBLIC);
        r.get("/p/{slug}/count.json", petitionPage::count, PUBLIC);
        r.get("/admin/petitions", petitionAdmin::all, ORGANIZER);
        r.get("/admin/campaigns/{id}/petitions", petitionAdmin::list, ORGANIZER);
        r.get("/admin/campaigns/{id}/petitions/new", petitionAdmin::newForm, ORGANIZER);
        r.post("/admin/campaigns/{id}/petitions", petitionAdmin::create, ORGANIZER);
        r.get("/admin/petitions/{id}", petitionAdmin::show, ORGANIZER);
        r.get("/admin/petitions/{id}/edit", petitionAdmin::editForm, ORGANIZER);
        r.post("/admin/petitions/{id}", petitionAdmin::update, ORGANIZER);
        r.post("/admin/petitions/{id}/status", petitionAdmin::changeStatus, ORGANIZER);
        r.get("/admin/petitions/{id}/signatures", signatureAdmin::list, ORGANIZER);
        r.get("/admin/petitions/{id}/signatures.csv", reauth.guard(signatureAdmin::csv), ORGANIZER);
        r.get("/admin/petitions/{id}/delivery", signatureAdmin::delivery, ORGANIZER);
        r.get("/api/v1/petitions", petitionApi::list, ORGANIZER);
        r.post("/api/v1/petitions", petitionApi::create, ORGANIZER);
        r.get("/api/v1/petitions/{id}", petitionApi::read, ORGANIZER);
        r.put("/api/v1/petitions/{id}", petitionApi::update, ORGANIZER);
        r.get("/api/v1/petitions/{id}/signatures", petitionApi::signatures, ORGANIZER);
        r.post("/api/v1/petitions/{id}/signatures", petitionApi::recordSignature, ORGANIZER);

        // --- people routes ---
        r.get("/preferences", preferences::page, PUBLIC);
        r.post("/preferences", preferences::save, PUBLIC);
        r.post("/preferences/one-click", preferences::oneClick, PUBLIC_FORM);
        r.get("/admin/people", peopleAdmin::list, ORGANIZER);
        r.get("/admin/people/export.csv", reauth.guard(peopleAdmin::exportCsv), ORGANIZER);
        r.post("/admin/people/bulk-tags", peopleAdmin::bulkTag, ORGANIZER);
        r.get("/admin/people/{id}", peopleAdmin::show, ORGANIZER);
        r.get("/admin/people/{id}/edit", peopleAdmin::editForm, ORGANIZER);
        r.post("/admin/people/{id}", peopleAdmin::update, ORGANIZER);
        r.post("/admin/people/{id}/erase", peopleAdmin::erase, ORGANIZER);
        r.post("/admin/people/{id}/merge", peopleAdmin::merge, ORGANIZER);
        r.get("/admin/people/{id}/export.json", reauth.guard(peopleAdmin::exportJson), ADMIN);
        r.post("/admin/people/{id}/tags", peopleAdmin::addTag, ORGANIZER);
        r.post("/admin/people/{id}/tags/remove", peopleAdmin::removeTag, ORGANIZER);
        r.post("/admin/people/{id}/lists", tagLists::addPerson, ORGANIZER);
        r.get("/admin/tags", tagLists::tags, ORGANIZER);
        r.get("/admin/lists", tagLists::lists, ORGANIZER);
        r.post("/admin/lists", tagLists::createList, ORGANIZER);
        r.post("/admin/lists/add-search", tagLists::addSearch, ORGANIZER);
        r.get("/admin/lists/{id}", tagLists::showList, ORGANIZER);
        r.get("/admin/lists/{id}/export.csv", reauth.guard(tagLists::exportList), ORGANIZER);
        r.post("/admin/lists/{id}/delete", tagLists::deleteList, ORGANIZER);
        r.post("/admin/lists/{id}/members/{personId}/remove", tagLists::removeMember, ORGANIZER);
        r.get("/admin/segments", segmentRoutes::list, ORGANIZER);
        r.get("/admin/segments/new", segmentRoutes::newForm, ORGANIZER);
        r.post("/admin/segments", segmentRoutes::create, ORGANIZER);
        r.get("/admin/segments/{id}", segmentRoutes::show, ORGANIZER);
        r.post("/admin/segments/{id}", segmentRoutes::update, ORGANIZER);
        r.post("/admin/segments/{id}/delete", segmentRoutes::delete, ORGANIZER);
        r.get("/admin/segments/{id}/export.csv", reauth.guard(segmentRoutes::exportCsv), ORGANIZER);
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
        cfg.events.serverStarted(events.reminders::start);
        cfg.events.serverStopping(events.reminders::close);
        r.get("/e/{id}", events.page::show, PUBLIC);
        r.get("/e/{id}/calendar.ics", events.page::ics, PUBLIC);
        r.post("/e/{id}/pledge", events.page::pledge, PUBLIC_FORM);
        r.get("/e/{id}/thanks", events.page::thanks, PUBLIC);
        r.get("/e/{id}/cancel/{attendance}/{sig}", events.page::cancelForm, PUBLIC);
        r.post("/e/{id}/cancel/{attendance}/{sig}", events.page::cancel, PUBLIC);
        r.get("/e/{id}/here/{token}", events.selfCheckIn::form, PUBLIC);
        r.post("/e/{id}/here/{token}", events.selfCheckIn::checkIn, PUBLIC);
        r.get("/lead", events.leader::page, LEADER);
        r.post("/lead/people", events.leader::addPerson, LEADER);
        r.get("/admin/events", events.admin::list, LEADER);
        r.get("/admin/events/new", events.admin::newForm, ORGANIZER);
        r.post("/admin/events", events.admin::create, ORGANIZER);
        r.get("/admin/events/reports", events.reports::overview, ORGANIZER);
        r.get("/admin/events/reports/turnout.csv", events.reports::eventsCsv, ORGANIZER);
        r.post("/admin/events/reports/leaders/{user}/goal", events.reports::setLeaderGoal, ORGANIZER);
        r.get("/admin/events/{id}/regulars", events.reports::regulars, LEADER);
        r.get("/admin/events/{id}/attendances.csv", events.reports::attendancesCsv, LEADER);
        r.get("/admin/events/{id}", events.admin::show, LEADER);
        r.get("/admin/events/{id}/edit", events.admin::editForm, ORGANIZER);
        r.post("/admin/events/{id}", events.admin::update, ORGANIZER);
        r.post("/admin/events/{id}/status", events.admin::changeStatus, ORGANIZER);
        r.get("/admin/events/{id}/checkin", events.checkIn::page, LEADER);
        r.post("/admin/events/{id}/checkin/{attendance}", events.checkIn::checkIn, LEADER);
        r.post("/admin/events/{id}/checkin/{attendance}/undo", events.checkIn::undo, LEADER);
        r.post("/admin/events/{id}/walkins", events.checkIn::walkIn, LEADER);
        r.get("/api/v1/events", events.api::list, LEADER);
        r.post("/api/v1/events", events.api::create, ORGANIZER);
        r.get("/api/v1/events/{id}", events.api::read, LEADER);
        r.put("/api/v1/events/{id}", events.api::update, ORGANIZER);
        r.get("/api/v1/events/{id}/turnout", events.api::turnout, LEADER);
        r.get("/api/v1/events/{id}/attendances", events.api::listAttendances, LEADER);
        r.post("/api/v1/events/{id}/attendances", events.api::createAttendance, LEADER);
        r.get("/api/v1/events/{id}/attendances/{attendance}", events.api::readAttendance, LEADER);
        r.put("/api/v1/events/{id}/attendances/{attendance}", events.api::updateAttendance, LEADER);

        // --- letters routes ---
        r.get("/letters/{id}", letters.page::show, PUBLIC);
        r.post("/letters/{id}", letters.page::submit, PUBLIC_FORM);
        r.get("/letters/{id}/check-email", letters.page::checkEmail, PUBLIC);
        r.get("/letters/confirm/{token}", letters.page::confirmPage, PUBLIC);
        r.post("/letters/confirm/{token}", letters.page::confirm, PUBLIC);
        r.get("/admin/targets", letters.targetAdmin::list, ORGANIZER);
        r.get("/admin/targets/new", letters.targetAdmin::newForm, ORGANIZER);
        r.post("/admin/targets", letters.targetAdmin::create, ORGANIZER);
        r.get("/admin/targets/import", letters.targetAdmin::importForm, ORGANIZER);
        r.post("/admin/targets/import", letters.targetAdmin::importCsv, ORGANIZER);
        r.get("/admin/targets/{id}/edit", letters.targetAdmin::editForm, ORGANIZER);
        r.post("/admin/targets/{id}", letters.targetAdmin::update, ORGANIZER);
        r.post("/admin/targets/{id}/retire", letters.targetAdmin::retire, ORGANIZER);
        r.get("/admin/letters", letters.admin::list, ORGANIZER);
        r.get("/admin/letters/new", letters.admin::newForm, ORGANIZER);
        r.post("/admin/letters", letters.admin::create, ORGANIZER);
        r.get("/admin/letters/{id}", letters.admin::show, ORGANIZER);
        r.get("/admin/letters/{id}/edit", letters.admin::editForm, ORGANIZER);
        r.post("/admin/letters/{id}", letters.admin::update, ORGANIZER);
        r.post("/admin/letters/{id}/status", letters.admin::changeStatus, ORGANIZER);
        r.get("/admin/letters/{id}/targets/{tid}/summary", letters.summary::page, ORGANIZER);
        r.post("/admin/letters/{id}/targets/{tid}/summary/send", letters.summary::send, ORGANIZER);
        r.get("/api/v1/targets", letters.targetApi::list, ORGANIZER);
        r.post("/api/v1/targets", letters.targetApi::create, ORGANIZER);
        r.get("/api/v1/targets/{id}", letters.targetApi::read, ORGANIZER);
        r.put("/api/v1/targets/{id}", letters.targetApi::update, ORGANIZER);
        r.get("/api/v1/advocacy_campaigns", letters.api::list, ORGANIZER);
        r.post("/api/v1/advocacy_campaigns", letters.api::create, ORGANIZER);
        r.get("/api/v1/advocacy_campaigns/{id}", letters.api::read, ORGANIZER);
        r.put("/api/v1/advocacy_campaigns/{id}", letters.api::update, ORGANIZER);
        r.post("/api/v1/advocacy_campaigns/{id}/outreaches", letters.api::recordOutreach, ORGANIZER);

        // --- mail routes ---
        r.get("/admin/messages", messageAdmin::list, ORGANIZER);
        r.get("/admin/messages/new", messageAdmin::newForm, ORGANIZER);
        r.post("/admin/messages", messageAdmin::create, ORGANIZER);
        r.get("/admin/messages/{id}", messageAdmin::show, ORGANIZER);
        r.get("/admin/messages/{id}/edit", messageAdmin::editForm, ORGANIZER);
        r.post("/admin/messages/{id}", messageAdmin::update, ORGANIZER);
        r.get("/admin/messages/{id}/preview", messageAdmin::preview, ORGANIZER);
        r.post("/admin/messages/{id}/test", messageAdmin::testSend, ORGANIZER);
        r.post("/admin/messages/{id}/send", reauth.guardIf(ctx -> messageAdmin.recipientCount(ctx) > config.reauthAboveRecipients(),
                ctx -> "/admin/messages/" + ctx.pathParam("id"), messageAdmin::send), ORGANIZER);
        r.post("/admin/messages/{id}/pause", messageAdmin::pause, ORGANIZER);
        r.post("/admin/messages/{id}/resume", messageAdmin::resume, ORGANIZER);
        r.post("/admin/messages/{id}/cancel", messageAdmin::cancel, ORGANIZER);
        r.get("/u/{token}", recipientRoutes::unsubscribePage, PUBLIC);
        r.post("/u/{token}", recipientRoutes::unsubscribe, org.convoca.web.Role.PUBLIC_FORM);  // RFC 8058 one-click: no CSRF
        r.get("/t/o/{token}", recipientRoutes::open, PUBLIC);
        r.get("/t/c/{token}", recipientRoutes::click, PUBLIC);
        r.post("/hooks/mail/events", recipientRoutes::providerEvents, org.convoca.web.Role.PUBLIC_FORM);  // bearer MAIL_WEBHOOK_TOKEN
        r.get("/api/v1/messages", messagesApi::list, ORGANIZER);
        r.post("/api/v1/messages", messagesApi::create, ORGANIZER);
        r.get("/api/v1/messages/{id}", messagesApi::read, ORGANIZER);
        r.put("/api/v1/messages/{id}", messagesApi::update, ORGANIZER);
        r.post("/api/v1/messages/{id}/send", messagesApi::send, ORGANIZER);
    }

    private Mailer.Sender sender(Organization org) {
        String address = config.mailFrom().orElse(org.senderEmail());
        return new Mailer.Sender(address, org.senderName().isBlank() ? org.name() : org.senderName());
    }

    public App start() {
        javalin.start(config.port());
        if (sender != null) sender.start(Duration.ofSeconds(1));
        if (blastSender != null) blastSender.start(org.convoca.mail.MailWiring.connections(System.getenv()), Duration.ofSeconds(1));
        inbound.start();
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

    public Optional<org.convoca.mail.BlastSender> blastSender() {
        return Optional.ofNullable(blastSender);
    }

    /** The bounce inbox: VERP addresses and, when BOUNCE_MAILBOX_URL is set, its poller. */
    public org.convoca.mail.inbound.InboundWiring inbound() {
        return inbound;
    }

    @Override
    public void close() {
        if (inbound != null) inbound.close();
        if (blastSender != null) blastSender.close();
        if (sender != null) sender.close();
        if (importWorker != null) importWorker.close();
        housekeeping.shutdownNow();
        javalin.stop();
        signing.close();
        botGuard.close();
    }
}
