package org.convoca.petition;

import java.time.OffsetDateTime;
import java.util.List;
import org.convoca.web.Lang;

/** A petition inside a campaign, with both languages of everything signers read. */
public record Petition(long id, long campaignId, String slug, String title, String titleEs, String description,
                       String descriptionEs, String petitionText, String petitionTextEs, List<Target> targets,
                       int signatureGoal, boolean autoRaiseGoal, String thankYou, String thankYouEs,
                       String shareText, String shareTextEs, PetitionStatus status, boolean askPhone,
                       boolean askPostalCode, boolean askSchool, boolean askComment, boolean doubleOptIn,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public String title(Lang lang) {
        return pick(lang, title, titleEs);
    }

    public String description(Lang lang) {
        return pick(lang, description, descriptionEs);
    }

    public String petitionText(Lang lang) {
        return pick(lang, petitionText, petitionTextEs);
    }

    public String thankYou(Lang lang) {
        return pick(lang, thankYou, thankYouEs);
    }

    public String shareText(Lang lang) {
        String s = pick(lang, shareText, shareTextEs);
        return s.isBlank() ? title(lang) : s;
    }

    public String statusValue() {
        return status.value();
    }

    public boolean isOpen() {
        return status == PetitionStatus.OPEN;
    }

    public List<String> targetLabels() {
        return targets.stream().map(Target::label).toList();
    }

    /**
     * The goal to show for a count: the organizer's goal, or once it is met and auto-raise is on,
     * the next round milestone above the count (1, 2, 5 × 10ⁿ), so the bar always has room to grow.
     */
    public long displayGoal(long count) {
        long goal = signatureGoal;
        if (!autoRaiseGoal) return goal;
        while (count >= goal) goal = nextMilestone(goal);
        return goal;
    }

    static long nextMilestone(long goal) {
        long magnitude = 1;
        while (magnitude * 10 <= goal) magnitude *= 10;
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * magnitude > goal) return step * magnitude;
        }
        return magnitude * 10;
    }

    private static String pick(Lang lang, String en, String es) {
        return lang == Lang.ES && !es.isBlank() ? es : en;
    }
}
