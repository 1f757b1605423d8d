package org.convoca.mail;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.convoca.Config;
import org.convoca.db.AppSecrets;
import org.convoca.settings.Organization;
import org.convoca.settings.OrganizationRepository;
import org.convoca.web.Templates;
import org.convoca.web.Views;
import org.jooq.DSLContext;

/**
 * Builds the email-to-the-list feature from the app's parts. Reads its own settings from the
 * environment: MAIL_CONNECTIONS (parallel SMTP connections per instance, default 4),
 * MAIL_WEBHOOK_TOKEN (bounce/complaint webhook), DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE, and
 * the bounce inbox's BOUNCE_* settings (see {@link org.convoca.mail.inbound.InboundWiring}).
 */
public final class MailWiring {
    static final Duration LEASE = Duration.ofMinutes(5);
    private final MessagesApi api;
    private final MessageAdminRoutes admin;
    private final RecipientRoutes recipientRoutes;
    private final BlastSender sender;
    private final Audience audience;
    private final org.convoca.mail.inbound.InboundWiring inbound;

    public MailWiring(Config config, DSLContext dsl, Templates templates, Views views, AppSecrets secrets,
                      OrganizationRepository organization, Map<String, String> env) {
        MergeFields merge = new MergeFields();
        MessageRepository messages = new MessageRepository(dsl);
        Audience audience = new Audience(dsl);
        this.audience = audience;
        MessageService service = new MessageService(dsl, messages, audience);
        Deliveries deliveries = new Deliveries(dsl);
        MessageLinks links = new MessageLinks(dsl);
        LinkSigner signer = new LinkSigner(secrets, config.baseUrl());
        BlastRenderer renderer = new BlastRenderer(merge, templates, signer);
        SmtpMailer smtp = config.smtp().host().isPresent()
                ? new SmtpMailer(config.smtp(), URI.create(config.baseUrl()).getHost()) : null;
        this.api = new MessagesApi(messages, service, deliveries, merge, audience, config.baseUrl());
        this.recipientRoutes = new RecipientRoutes(new Recipients(dsl), links, signer, secrets, views,
                nonBlank(env.get("MAIL_WEBHOOK_TOKEN")));
        java.util.function.Function<Message, Mailer.Sender> from = m -> sender(config, organization.get(), m);
        this.admin = new MessageAdminRoutes(dsl, messages, service, audience, deliveries, links, merge, renderer, organization,
                views, smtp, from);
        this.sender = smtp == null ? null : new BlastSender(deliveries, messages, service, links, renderer, smtp,
                new MailRate(dsl, config.mailRate()), organization::get, from,
                Dkim.fromEnvironment(env).orElse(null), URI.create(config.baseUrl()).getHost(), LEASE);
        if (sender != null) service.onStart(sender::wake);
        this.inbound = new org.convoca.mail.inbound.InboundWiring(dsl, signer, env);
        if (sender != null) sender.returnPath(inbound.returnPath().orElse(null));
    }

    static Mailer.Sender sender(Config config, Organization org, Message m) {
        String address = !m.fromAddress().isBlank() ? m.fromAddress() : config.mailFrom().orElse(org.senderEmail());
        String name = !m.fromName().isBlank() ? m.fromName() : org.senderName().isBlank() ? org.name() : org.senderName();
        return new Mailer.Sender(address, name);
    }

    public static int connections(Map<String, String> env) {
        try {
            return Math.max(1, Math.min(32, Integer.parseInt(env.getOrDefault("MAIL_CONNECTIONS", "4").trim())));
        } catch (NumberFormatException e) {
            return 4;
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    /** Blasts, and the expansion of a message into deliveries, step back while people sign. */
    public void yieldTo(org.convoca.ops.ForegroundWork foreground) {
        audience.yieldTo(foreground);
        if (sender != null) sender.yieldTo(foreground);
    }

    public MessagesApi api() {
        return api;
    }

    public MessageAdminRoutes admin() {
        return admin;
    }

    public RecipientRoutes recipientRoutes() {
        return recipientRoutes;
    }

    public BlastSender sender() {
        return sender;
    }

    /** The bounce inbox (BOUNCE_DOMAIN, BOUNCE_MAILBOX_URL…): VERP addresses and the poller. */
    public org.convoca.mail.inbound.InboundWiring inbound() {
        return inbound;
    }
}
