package org.convoca.mail;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.convoca.db.AppSecrets;
import org.convoca.web.HtmlError;
import org.convoca.web.Json;
import org.convoca.web.Lang;
import org.convoca.web.Problem;
import org.convoca.web.Views;

/**
 * Public endpoints a blast links to: unsubscribe (a page, and RFC 8058 one-click POST without
 * login or CSRF), the open pixel, click redirects (only to links that were in the message), and
 * the token-protected webhook for provider bounces and complaints.
 */
public final class RecipientRoutes {
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private final Recipients recipients;
    private final MessageLinks links;
    private final LinkSigner signer;
    private final AppSecrets secrets;
    private final Views views;
    private final Optional<String> webhookToken;

    public RecipientRoutes(Recipients recipients, MessageLinks links, LinkSigner signer, AppSecrets secrets, Views views,
                           Optional<String> webhookToken) {
        this.recipients = recipients;
        this.links = links;
        this.signer = signer;
        this.secrets = secrets;
        this.views = views;
        this.webhookToken = webhookToken;
    }

    public void unsubscribePage(Context ctx) {
        if ("preview".equals(ctx.pathParam("token"))) {
            render(ctx, 200, "preview", null);
            return;
        }
        Recipients.Delivery d = delivery(ctx);
        render(ctx, 200, "confirm", d);
    }

    /** The page's button and the mail client's one-click POST both land here. */
    public void unsubscribe(Context ctx) {
        Recipients.Delivery d = delivery(ctx);
        boolean oneClick = "List-Unsubscribe=One-Click".equals(ctx.formParam("List-Unsubscribe"))
                || ctx.body().contains("List-Unsubscribe=One-Click");
        recipients.unsubscribe(d, oneClick ? "one_click" : "unsubscribe_link", secrets.hmac(ctx.ip()));
        if (oneClick) {
            ctx.status(200).contentType("text/plain; charset=utf-8").result("Unsubscribed");
            return;
        }
        render(ctx, 200, "done", d);
    }

    public void open(Context ctx) {
        String token = ctx.pathParam("token");
        if (token.endsWith(".gif")) token = token.substring(0, token.length() - 4);
        long id = signer.verify("o", token, null);
        if (id > 0) recipients.opened(id);
        ctx.header("Cache-Control", "no-store").contentType("image/gif").result(PIXEL);
    }

    public void click(Context ctx) {
        long[] linkId = new long[1];
        long id = signer.verify("c", ctx.pathParam("token"), linkId);
        Recipients.Delivery d = id > 0 ? recipients.delivery(id).orElseThrow(HtmlError::notFound) : null;
        if (d == null) throw HtmlError.notFound();
        MessageLinks.Link link = links.find(d.messageId(), linkId[0]).orElseThrow(HtmlError::notFound);
        recipients.clicked(id, link.id());
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(org.owasp.html.Encoding.decodeHtml(link.url()), HttpStatus.FOUND);
    }

    /**
     * {@code POST /hooks/mail/events} with {@code Authorization: Bearer MAIL_WEBHOOK_TOKEN}:
     * {@code {"email": "…", "type": "bounce"|"complaint", "bounce_type": "hard"|"soft"}} or a list of them.
     */
    public void providerEvents(Context ctx) {
        String given = Optional.ofNullable(ctx.header("Authorization")).orElse("").replaceFirst("^Bearer ", "");
        if (webhookToken.isEmpty() || !MessageDigest.isEqual(webhookToken.get().getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            throw new Problem(401, "Unauthorized", "A valid webhook token is required");
        }
        JsonNode body = Json.body(ctx);
        JsonNode events = body.has("events") ? body.get("events") : Json.MAPPER.createArrayNode().add(body);
        int applied = 0;
        for (JsonNode e : events) {
            String email = e.path("email").asText("");
            String type = e.path("type").asText("");
            String status = switch (type) {
                case "complaint", "spam_complaint" -> "spam_complaint";
                case "bounce" -> "soft".equals(e.path("bounce_type").asText("hard")) ? null : "bouncing";
                default -> null;
            };
            if (status != null && !email.isBlank() && recipients.providerEvent(email, status, "provider:" + type)) applied++;
        }
        ctx.json(Map.of("applied", applied));
    }

    private Recipients.Delivery delivery(Context ctx) {
        long id = signer.verify("u", ctx.pathParam("token"), null);
        if (id <= 0) throw HtmlError.notFound();
        return recipients.delivery(id).orElseThrow(HtmlError::notFound);
    }

    private void render(Context ctx, int status, String state, Recipients.Delivery d) {
        // The page speaks the supporter's language unless ?lang says otherwise.
        views.lang(ctx, d == null ? Optional.empty() : Lang.parse(d.language()));
        views.render(ctx, status, "mail/unsubscribe", Map.of("state", state, "token", ctx.pathParam("token")));
    }
}
