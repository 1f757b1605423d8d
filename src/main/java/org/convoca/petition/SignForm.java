package org.convoca.petition;

import io.javalin.http.Context;
import org.convoca.web.Lang;

/** The sign form's values as the page shows them (strings and checkbox states), kept on errors. */
public record SignForm(String givenName, String familyName, String email, String postalCode, String phone,
                       String language, String comments, String school, boolean emailOptIn, boolean publicDisplay,
                       String ref) {

    static SignForm blank(Context ctx, Lang lang) {
        String ref = ctx.queryParam("ref");
        return new SignForm("", "", "", "", "", lang.code(), "", "", false, false,
                ref == null || ref.length() > 40 ? "" : ref.strip());
    }

    static SignForm of(Context ctx, SignatureInput in) {
        var p = in.person();
        return new SignForm(p.givenName(), p.familyName(), p.email(), p.postalCode(), p.phone(),
                p.language().isBlank() ? "en" : p.language(), in.comments(), in.school(), p.emailOptIn(),
                in.publicDisplay(), p.ref());
    }
}
