package org.convoca.campaign;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.convoca.web.Lang;

/** A campaign: the umbrella for petitions, letters and events around one demand. */
public record Campaign(long id, String slug, String title, String titleEs, String summary, String summaryEs,
                       String description, String descriptionEs, List<String> targets, CampaignStatus status,
                       LocalDate startDate, LocalDate endDate, String imageUrl,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    /** Text in the reader's language, falling back to English where no Spanish was written. */
    public String title(Lang lang) {
        return lang == Lang.ES && !titleEs.isBlank() ? titleEs : title;
    }

    public String summary(Lang lang) {
        return lang == Lang.ES && !summaryEs.isBlank() ? summaryEs : summary;
    }

    public String description(Lang lang) {
        return lang == Lang.ES && !descriptionEs.isBlank() ? descriptionEs : description;
    }

    public String statusValue() {
        return status.value();
    }

    public String targetsText() {
        return String.join("\n", targets);
    }
}
