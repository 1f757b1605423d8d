package org.convoca.letter;

import java.time.OffsetDateTime;
import java.util.List;
import org.convoca.web.Lang;

/** A letter action (OSDI advocacy campaign): the letter parents send, and who receives it. */
public record LetterAction(long id, long campaignId, String title, String titleEs, String description,
                           String descriptionEs, String subject, String subjectEs, String body, String bodyEs,
                           boolean editable, Targeting targeting, List<Long> targetIds, List<Long> fallbackTargetIds,
                           LetterStatus status, int totalOutreaches, OffsetDateTime createdAt,
                           OffsetDateTime updatedAt) {

    public String title(Lang lang) {
        return lang == Lang.ES && !titleEs.isBlank() ? titleEs : title;
    }

    public String description(Lang lang) {
        return lang == Lang.ES && !descriptionEs.isBlank() ? descriptionEs : description;
    }

    /** Subject and body go together: Spanish only when both were written in Spanish. */
    public String subject(Lang lang) {
        return hasSpanishLetter(lang) ? subjectEs : subject;
    }

    public String body(Lang lang) {
        return hasSpanishLetter(lang) ? bodyEs : body;
    }

    private boolean hasSpanishLetter(Lang lang) {
        return lang == Lang.ES && !subjectEs.isBlank() && !bodyEs.isBlank();
    }

    public String statusValue() {
        return status.value();
    }

    public String targetingValue() {
        return targeting.value();
    }

    public boolean open() {
        return status == LetterStatus.OPEN;
    }
}
