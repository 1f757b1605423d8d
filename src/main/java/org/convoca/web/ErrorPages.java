package org.convoca.web;

import io.javalin.http.Context;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into answers a person or a script can use: problem+json under /api, a friendly
 * page elsewhere. Never a stack trace; the log gets the exception without request data.
 */
public final class ErrorPages {
    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);
    private static final String RENDERED = "convoca.errorRendered";
    private final Views views;

    public ErrorPages(Views views) {
        this.views = views;
    }

    public void problem(Problem p, Context ctx) {
        if (!wantsJson(ctx)) {
            page(ctx, p.status(), p.status() == 404 ? "error.not_found" : "error.bad_request");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("status", p.status());
        body.put("title", p.title());
        body.put("detail", p.detail());
        if (!p.errors().isEmpty()) body.put("errors", p.errors());
        writeProblem(ctx, p.status(), body);
    }

    public void htmlError(HtmlError e, Context ctx) {
        if (wantsJson(ctx)) {
            problem(new Problem(e.status(), title(e.status()), Problem.describe(e.messageKey())), ctx);
            return;
        }
        page(ctx, e.status(), e.messageKey());
    }

    public void unexpected(Exception e, Context ctx) {
        if (isBadData(e)) {
            // PostgreSQL refused a value (a NUL byte, an out-of-range number or date): the input's
            // fault, and the transaction rolled back, so nothing was half-stored.
            log.info("Refused input on {}: SQLSTATE {}", ctx.path(), ((DataAccessException) e).sqlState());
            respond(ctx, 400, "error.bad_input", "Bad Request", "Some input contains characters or values that cannot be stored");
            return;
        }
        if (isDatabaseDown(e)) {
            log.warn("Database unavailable: {}", e.getClass().getSimpleName());
            respond(ctx, 503, "error.unavailable", "Service Unavailable", "The database is unavailable; try again in a moment");
            ctx.header("Retry-After", "30");
            return;
        }
        var matched = ctx.endpoints().matchedHttpEndpoint();
        log.error("Unhandled error on {} {}", ctx.method(), matched == null ? "?" : matched.path, e);
        respond(ctx, 500, "error.internal", "Internal Server Error", "Something went wrong on our side");
    }

    public void notFound(Context ctx) {
        respond(ctx, 404, "error.not_found", "Not Found", "No such resource");
    }

    private void respond(Context ctx, int status, String key, String title, String detail) {
        if (wantsJson(ctx)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "about:blank");
            body.put("status", status);
            body.put("title", title);
            body.put("detail", detail);
            writeProblem(ctx, status, body);
        } else {
            page(ctx, status, key);
        }
    }

    /** API routes and public .json endpoints (a petition's count) answer errors as problem+json. */
    private static boolean wantsJson(Context ctx) {
        return Access.isApi(ctx) || ctx.path().endsWith(".json");
    }

    /** Whether an exception handler already wrote the error answer (so the 404 handler keeps it). */
    public static boolean alreadyRendered(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(RENDERED));
    }

    private void page(Context ctx, int status, String key) {
        ctx.attribute(RENDERED, true);
        try {
            views.render(ctx, status, "error", Map.of("status", status, "messageKey", key));
        } catch (RuntimeException renderFailed) {
            // The page itself needs the database (organization name); fall back to plain text.
            ctx.status(status).contentType("text/plain; charset=utf-8").result(status == 503
                    ? "Convoca is temporarily unavailable. Please try again in a minute. / Convoca no está disponible en este momento. Inténtelo de nuevo en un minuto."
                    : "Error " + status);
        }
    }

    private static void writeProblem(Context ctx, int status, Map<String, Object> body) {
        ctx.attribute(RENDERED, true);
        try {
            ctx.status(status).contentType("application/problem+json; charset=utf-8").result(Json.MAPPER.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            ctx.status(status).result("{}");
        }
    }

    static boolean isBadData(Throwable e) {
        return e instanceof DataAccessException dae && dae.sqlState() != null && dae.sqlState().startsWith("22");
    }

    static boolean isDatabaseDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException) return true;
            if (t instanceof java.sql.SQLException sql && unavailable(sql.getSQLState())) return true;
            if (t instanceof DataAccessException dae && unavailable(dae.sqlState())) return true;
        }
        return false;
    }

    /** Connection failures (08…), server shutting down or starting (57P01-57P03), too many connections (53300). */
    private static boolean unavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300"));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> "Error";
        };
    }

}
