package org.convoca.letter;

import org.convoca.Config;
import org.convoca.campaign.CampaignRepository;
import org.convoca.db.AppSecrets;
import org.convoca.mail.EmailRenderer;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** The letters feature, wired from the app's shared pieces: the handlers the route table names. */
public final class LetterModule {
    public final TargetAdminRoutes targetAdmin;
    public final TargetApi targetApi;
    public final LetterAdminRoutes admin;
    public final LetterActionApi api;
    public final LetterPage page;
    public final DeliverySummary summary;
    private final DSLContext dsl;
    private final OutreachService outreaches;

    public LetterModule(DSLContext dsl, Views views, EmailRenderer emails, AppSecrets secrets,
                        CampaignRepository campaigns, Config config) {
        TargetRepository targets = new TargetRepository(dsl);
        LetterActionRepository actions = new LetterActionRepository(dsl);
        LetterStats stats = new LetterStats(dsl);
        OutreachService outreaches = new OutreachService(dsl, targets, new LetterMail(emails), secrets,
                config.baseUrl(), config.phoneRegion());
        this.targetAdmin = new TargetAdminRoutes(targets, new TargetCsv(dsl), stats, views);
        this.targetApi = new TargetApi(targets, config.baseUrl());
        this.admin = new LetterAdminRoutes(actions, targets, campaigns, stats, views, config.baseUrl());
        this.api = new LetterActionApi(actions, targets, outreaches, config.baseUrl(), config.phoneRegion());
        this.page = new LetterPage(actions, targets, outreaches, secrets, views, config.baseUrl(), config.phoneRegion());
        this.summary = new DeliverySummary(dsl, actions, targets, stats, emails, views);
        this.dsl = dsl;
        this.outreaches = outreaches;
        housekeeping();
    }

    /** Forgets past days' quota counters and abandoned unconfirmed letters. Runs at start; safe to run often. */
    public void housekeeping() {
        LetterQuota.deleteOld(dsl);
        outreaches.deleteAbandoned();
    }
}
