package org.convoca.supporter;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;

/** One entry of a person's timeline. */
public record Activity(long id, String kind, Long subjectId, Map<String, Object> details, OffsetDateTime occurredAt) {
    /** The message key the timeline shows for this kind ({@code activity.petition.signed}). */
    public String labelKey() {
        return "activity." + kind;
    }

    /** The one detail worth a line on the timeline: a title, a tag, the fields edited, a status. */
    public String summary() {
        for (String key : new String[] {"title", "tag", "list", "status", "fields", "file"}) {
            Object v = details.get(key);
            if (v instanceof Collection<?> c) return String.join(", ", c.stream().map(String::valueOf).toList());
            if (v != null) return String.valueOf(v);
        }
        return "";
    }
}
