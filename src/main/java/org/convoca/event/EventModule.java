package org.convoca.event;

import org.convoca.campaign.CampaignRepository;
import org.convoca.db.AppSecrets;
import org.convoca.mail.EmailRenderer;
import org.convoca.settings.OrganizationRepository;
import org.convoca.web.Messages;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/** The events feature, wired from its dependencies; App's route table names these handlers. */
public final class EventModule {
    public final EventAdminRoutes admin;
    public final EventPage page;
    public final CheckInRoutes checkIn;
    public final LeaderRoutes leader;
    public final EventApi api;
    public final ReportRoutes reports;
    public final ReminderJob reminders;
    public final SelfCheckIn selfCheckIn;

    public EventModule(DSLContext dsl, Views views, AppSecrets secrets, EmailRenderer emails,
                       OrganizationRepository organization, Messages messages, CampaignRepository campaigns,
                       String baseUrl, String phoneRegion) {
        EventRepository events = new EventRepository(dsl);
        AttendanceRepository attendances = new AttendanceRepository(dsl);
        Turnout turnout = new Turnout(dsl);
        EventLinks links = new EventLinks(baseUrl, secrets);
        Leaders leaders = new Leaders(dsl);
        this.admin = new EventAdminRoutes(events, attendances, turnout, campaigns, links, views);
        this.page = new EventPage(events, attendances, turnout, links, views, secrets, phoneRegion);
        this.checkIn = new CheckInRoutes(admin, attendances, leaders, views, secrets, phoneRegion);
        this.leader = new LeaderRoutes(dsl, leaders, views, secrets, links, phoneRegion);
        this.api = new EventApi(events, attendances, turnout, leaders, links, secrets, phoneRegion);
        this.reports = new ReportRoutes(new TurnoutReports(dsl, turnout), admin, attendances, views);
        this.selfCheckIn = new SelfCheckIn(events, attendances, links, views, secrets, phoneRegion);
        this.reminders = new ReminderJob(dsl, emails, organization, messages, links);
    }
}
