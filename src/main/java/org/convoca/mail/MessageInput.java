package org.convoca.mail;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.convoca.web.FieldError;

/** What an organizer writes (form or API), validated before anything is stored. */
public record MessageInput(String subject, String preheader, String body, String subjectEs, String bodyEs,
                           String preheaderEs, String fromName, String fromAddress, String replyTo,
                           boolean tracking, List<Target> targets, List<Target> exclusions) {

    /** Field errors, including merge-field errors found by compiling every template now. */
    public List<FieldError> validate(MergeFields merge) {
        List<FieldError> errors = new ArrayList<>();
        if (blank(subject)) errors.add(new FieldError("subject", "message.subject.required"));
        else if (subject.length() > 250) errors.add(new FieldError("subject", "message.subject.too_long"));
        if (blank(body)) errors.add(new FieldError("body", "message.body.required"));
        if (blank(subjectEs) != blank(bodyEs)) errors.add(new FieldError(blank(subjectEs) ? "subject_es" : "body_es",
                "message.spanish.incomplete"));
        if (!blank(fromAddress) && !validEmail(fromAddress)) errors.add(new FieldError("from_address", "field.email.invalid"));
        if (!blank(replyTo) && !validEmail(replyTo)) errors.add(new FieldError("reply_to", "field.email.invalid"));
        check(merge, "subject", subject, errors);
        check(merge, "preheader", preheader, errors);
        check(merge, "body", body, errors);
        check(merge, "subject_es", subjectEs, errors);
        check(merge, "preheader_es", preheaderEs, errors);
        check(merge, "body_es", bodyEs, errors);
        return errors;
    }

    private static void check(MergeFields merge, String field, String template, List<FieldError> errors) {
        if (blank(template)) return;
        if (errors.stream().anyMatch(e -> e.field().equals(field))) return;
        if (merge.problem(template) != null) errors.add(new FieldError(field, "message.merge.invalid"));
    }

    static boolean validEmail(String s) {
        return com.sanctionco.jmail.JMail.isValid(s.strip());
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** For messages shown before scheduling. */
    public static OffsetDateTime none() {
        return null;
    }
}
