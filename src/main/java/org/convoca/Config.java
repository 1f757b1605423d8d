package org.convoca;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Convoca reads from the environment, with the defaults from the contract.
 * Built once in {@link Main}; tests build their own.
 */
public record Config(
        Optional<String> databaseUrl,
        int port,
        String baseUrl,
        Path dataDir,
        Optional<String> templatesDir,
        Smtp smtp,
        Optional<String> mailFrom,
        Optional<Double> mailRate,
        String phoneRegion,
        Optional<String> metricsToken,
        int reauthAboveRecipients) {

    /** Outgoing SMTP; {@code host} empty means mail stays in the outbox. */
    public record Smtp(Optional<String> host, int port, Optional<String> username,
                       Optional<String> password, Security security) {
        public enum Security { NONE, STARTTLS, TLS }

        public static Smtp none() {
            return new Smtp(Optional.empty(), 25, Optional.empty(), Optional.empty(), Security.NONE);
        }
    }

    public static Config fromEnvironment(Map<String, String> env) {
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        String baseUrl = stripTrailingSlash(env.getOrDefault("BASE_URL", "http://localhost:" + port));
        Smtp.Security security = Smtp.Security.valueOf(
                env.getOrDefault("SMTP_SECURITY", "none").trim().toUpperCase());
        int defaultSmtpPort = switch (security) {
            case NONE -> 25;
            case STARTTLS -> 587;
            case TLS -> 465;
        };
        Smtp smtp = new Smtp(
                nonBlank(env.get("SMTP_HOST")),
                nonBlank(env.get("SMTP_PORT")).map(Integer::parseInt).orElse(defaultSmtpPort),
                nonBlank(env.get("SMTP_USERNAME")),
                nonBlank(env.get("SMTP_PASSWORD")),
                security);
        return new Config(
                nonBlank(env.get("DATABASE_URL")),
                port,
                baseUrl,
                Path.of(env.getOrDefault("DATA_DIR", "./data")),
                nonBlank(env.get("TEMPLATES_DIR")),
                smtp,
                nonBlank(env.get("MAIL_FROM")),
                nonBlank(env.get("MAIL_RATE")).map(Double::parseDouble),
                // Region for reading national phone numbers (libphonenumber), e.g. US, MX.
                env.getOrDefault("PHONE_REGION", "US").trim().toUpperCase(),
                nonBlank(env.get("METRICS_TOKEN")),
                // Sending to more people than this asks the organizer for their password again.
                Integer.parseInt(env.getOrDefault("REAUTH_ABOVE_RECIPIENTS", "500").trim()));
    }

    public boolean https() {
        return URI.create(baseUrl).getScheme().equalsIgnoreCase("https");
    }

    public Config withPort(int newPort) {
        return new Config(databaseUrl, newPort, baseUrl, dataDir, templatesDir, smtp, mailFrom, mailRate, phoneRegion, metricsToken, reauthAboveRecipients);
    }

    public Config withBaseUrl(String newBaseUrl) {
        return new Config(databaseUrl, port, stripTrailingSlash(newBaseUrl), dataDir, templatesDir, smtp, mailFrom, mailRate, phoneRegion, metricsToken, reauthAboveRecipients);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
