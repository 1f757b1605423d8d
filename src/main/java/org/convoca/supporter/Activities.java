package org.convoca.supporter;

import static org.convoca.db.schema.Tables.ACTIVITIES;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import org.convoca.web.Json;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/**
 * Writes the activity timeline. Call it in the transaction of the thing being recorded, with a
 * dotted kind ({@code petition.signed}, {@code event.attended}, {@code email.sent}) and the id of
 * its subject. Details hold what the timeline shows (a title), never secrets.
 */
public final class Activities {
    private Activities() {
    }

    public static void record(DSLContext tx, long personId, String kind, Long subjectId, Map<String, ?> details) {
        try {
            tx.insertInto(ACTIVITIES)
                    .set(ACTIVITIES.PERSON_ID, personId)
                    .set(ACTIVITIES.KIND, kind)
                    .set(ACTIVITIES.SUBJECT_ID, subjectId)
                    .set(ACTIVITIES.DETAILS, JSONB.valueOf(Json.MAPPER.writeValueAsString(details == null ? Map.of() : details)))
                    .execute();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
