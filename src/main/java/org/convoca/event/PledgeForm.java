package org.convoca.event;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.convoca.supporter.PersonInput;
import org.convoca.web.FieldError;

/**
 * A pledge to attend from the public page: the contract's person inputs, plus how many others the
 * person brings and what their family needs to come.
 */
public record PledgeForm(PersonInput person, String guests, String childcareChildren, String interpretationLanguage,
                         boolean transport, boolean food, String accessNeeds) {

    public static PledgeForm empty() {
        return new PledgeForm(new PersonInput("", "", "", "", "", "", false, ""), "0", "0", "", false, false, "");
    }

    public static PledgeForm from(Context ctx) {
        return new PledgeForm(PersonInput.from(ctx), p(ctx, "guests", "0"), p(ctx, "childcare_children", "0"),
                p(ctx, "interpretation_language", ""), !p(ctx, "transport", "").isBlank(), !p(ctx, "food", "").isBlank(),
                p(ctx, "access_needs", ""));
    }

    public List<FieldError> validate(String phoneRegion) {
        List<FieldError> errors = new ArrayList<>(person.validate(phoneRegion));
        if (guestsValue() < 0 || guestsValue() > 50) errors.add(new FieldError("guests", "event.guests.invalid"));
        if (childrenValue() < 0 || childrenValue() > 20) errors.add(new FieldError("childcare_children", "event.children.invalid"));
        if (interpretationLanguage.length() > 60) errors.add(new FieldError("interpretation_language", "field.too_long"));
        if (accessNeeds.length() > 1000) errors.add(new FieldError("access_needs", "field.too_long"));
        return errors;
    }

    public int guestsValue() {
        return number(guests);
    }

    public int childrenValue() {
        return number(childcareChildren);
    }

    private static int number(String s) {
        if (s == null || s.isBlank()) return 0;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String p(Context ctx, String name, String fallback) {
        String v = ctx.formParam(name);
        return v == null ? fallback : v;
    }
}
