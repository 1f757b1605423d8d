package org.convoca.letter;

import io.javalin.http.Context;
import org.convoca.web.HtmlError;

/** Path ids on pages: anything that is not a number is simply a page that does not exist. */
final class Ids {
    private Ids() {
    }

    static long path(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw HtmlError.notFound();
        }
    }
}
