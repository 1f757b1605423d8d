package org.convoca.mail.inbound;

import jakarta.mail.URLName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.convoca.mail.LinkSigner;
import org.jooq.DSLContext;

/**
 * Builds the bounce inbox from the environment:
 * BOUNCE_DOMAIN (the domain of the VERP return path and of the mailto unsubscribe address; blasts
 * keep the sender's address as return path without it), BOUNCE_MAILBOX_URL (the IMAP or POP3
 * inbox that receives that domain's mail; nothing is polled without it), BOUNCE_MAILBOX_PASSWORD
 * (optional, instead of a password inside the URL) and BOUNCE_POLL_SECONDS (default 60).
 */
public final class InboundWiring {
    private final Optional<ReturnPath> returnPath;
    private final Optional<BouncePoller> poller;
    private final Duration every;

    public InboundWiring(DSLContext dsl, LinkSigner signer, Map<String, String> env) {
        this.returnPath = nonBlank(env.get("BOUNCE_DOMAIN")).map(domain -> {
            if (!domain.matches("[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")) {
                throw new IllegalArgumentException("BOUNCE_DOMAIN must be a domain name such as bounces.example.org");
            }
            return new ReturnPath(signer, domain);
        });
        Optional<String> url = nonBlank(env.get("BOUNCE_MAILBOX_URL"));
        if (url.isPresent() && returnPath.isEmpty()) {
            throw new IllegalArgumentException("BOUNCE_MAILBOX_URL needs BOUNCE_DOMAIN: only signed addresses under it are read");
        }
        this.poller = url.map(u -> new BouncePoller(new Mailbox(mailboxUrl(u, env.get("BOUNCE_MAILBOX_PASSWORD"))),
                new InboundMail(returnPath.orElseThrow()), new InboundEvents(dsl),
                new JobLease(dsl, "bounce-inbox", UUID.randomUUID().toString())));
        this.every = Duration.ofSeconds(seconds(env.get("BOUNCE_POLL_SECONDS")));
    }

    static URLName mailboxUrl(String url, String password) {
        URLName u;
        try {
            // URLName forgives a bad host or port (it falls back to defaults); java.net.URI does not.
            if (new java.net.URI(url).getHost() == null) throw new java.net.URISyntaxException(url, "no host");
            u = new URLName(url);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // The message never repeats the URL: it may hold the password.
            throw new IllegalArgumentException("BOUNCE_MAILBOX_URL is not a URL such as imaps://user@host/INBOX");
        }
        if (password == null || password.isBlank()) return u;
        return new URLName(u.getProtocol(), u.getHost(), u.getPort(), u.getFile(), u.getUsername(), password);
    }

    private static long seconds(String s) {
        try {
            return s == null || s.isBlank() ? 60 : Math.max(5, Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("BOUNCE_POLL_SECONDS must be a whole number of seconds");
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    public Optional<ReturnPath> returnPath() {
        return returnPath;
    }

    public Optional<BouncePoller> poller() {
        return poller;
    }

    /** Starts polling when an inbox is configured. */
    public void start() {
        poller.ifPresent(p -> p.start(every));
    }

    public void close() {
        poller.ifPresent(BouncePoller::close);
    }
}
