package org.convoca.mail;

import org.convoca.web.Inputs;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** The compose form's inputs, kept as typed so a form with errors re-renders as it was. */
public record MessageForm(String subject, String preheader, String body, String subjectEs, String preheaderEs,
                          String bodyEs, String fromName, String fromAddress, String replyTo, boolean tracking,
                          List<String> lists, List<String> tags, List<String> segments, List<String> excludeLists,
                          List<String> excludeTags, List<String> excludeSegments) {

    public static MessageForm empty() {
        return new MessageForm("", "", "", "", "", "", "", "", "", true, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of());
    }

    public static MessageForm of(Message m) {
        return new MessageForm(m.subject(), m.preheader(), m.body(), nz(m.subjectEs()), nz(m.preheaderEs()),
                nz(m.bodyEs()), m.fromName(), m.fromAddress(), m.replyTo(), m.tracking(),
                values(m.targets(), Target.Kind.LIST), values(m.targets(), Target.Kind.TAG),
                values(m.targets(), Target.Kind.SEGMENT), values(m.exclusions(), Target.Kind.LIST),
                values(m.exclusions(), Target.Kind.TAG), values(m.exclusions(), Target.Kind.SEGMENT));
    }

    public static MessageForm from(Context ctx) {
        return new MessageForm(Inputs.form(ctx, "subject"), Inputs.form(ctx, "preheader"), Inputs.form(ctx, "body"), Inputs.form(ctx, "subject_es"),
                Inputs.form(ctx, "preheader_es"), Inputs.form(ctx, "body_es"), Inputs.form(ctx, "from_name"), Inputs.form(ctx, "from_address"),
                Inputs.form(ctx, "reply_to"), ctx.formParam("tracking") != null, ctx.formParams("lists"), ctx.formParams("tags"),
                ctx.formParams("segments"), ctx.formParams("exclude_lists"), ctx.formParams("exclude_tags"),
                ctx.formParams("exclude_segments"));
    }

    public MessageInput input() {
        return new MessageInput(subject, preheader, body, subjectEs, bodyEs, preheaderEs, fromName, fromAddress,
                replyTo, tracking, targets(lists, tags, segments), targets(excludeLists, excludeTags, excludeSegments));
    }

    private static List<Target> targets(List<String> lists, List<String> tags, List<String> segments) {
        List<Target> out = new ArrayList<>();
        for (String s : segments) {
            if (s.matches("\\d{1,18}")) out.add(new Target(Target.Kind.SEGMENT, s));
        }
        for (String l : lists) {
            if (l.matches("\\d{1,18}")) out.add(new Target(Target.Kind.LIST, l));
        }
        for (String t : tags) {
            if (!t.isBlank()) out.add(new Target(Target.Kind.TAG, t.strip()));
        }
        return out;
    }

    private static List<String> values(List<Target> targets, Target.Kind kind) {
        return targets.stream().filter(t -> t.kind() == kind).map(Target::value).toList();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
