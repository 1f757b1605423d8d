package org.convoca.supporter;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.LocalDate;
import java.util.List;

/**
 * A segment's definition: a tree of typed filters over people, stored as JSON
 * ({@code {"type": "all", "filters": [{"type": "tag", "name": "Parent College"}, ...]}}) and
 * compiled to a jOOQ condition by {@link SegmentCompiler}. Organizers never write SQL.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SegmentFilter.All.class, name = "all"),
        @JsonSubTypes.Type(value = SegmentFilter.Any.class, name = "any"),
        @JsonSubTypes.Type(value = SegmentFilter.Not.class, name = "not"),
        @JsonSubTypes.Type(value = SegmentFilter.HasTag.class, name = "tag"),
        @JsonSubTypes.Type(value = SegmentFilter.OnList.class, name = "list"),
        @JsonSubTypes.Type(value = SegmentFilter.Language.class, name = "language"),
        @JsonSubTypes.Type(value = SegmentFilter.PostalCode.class, name = "postal_code"),
        @JsonSubTypes.Type(value = SegmentFilter.School.class, name = "school"),
        @JsonSubTypes.Type(value = SegmentFilter.EmailStatusIs.class, name = "email_status"),
        @JsonSubTypes.Type(value = SegmentFilter.JoinedBefore.class, name = "joined_before"),
        @JsonSubTypes.Type(value = SegmentFilter.JoinedAfter.class, name = "joined_after"),
        @JsonSubTypes.Type(value = SegmentFilter.RecruitedBy.class, name = "recruited_by"),
        @JsonSubTypes.Type(value = SegmentFilter.SignedPetition.class, name = "signed_petition"),
        @JsonSubTypes.Type(value = SegmentFilter.PledgedEvent.class, name = "pledged_event"),
        @JsonSubTypes.Type(value = SegmentFilter.AttendedEvent.class, name = "attended_event"),
        @JsonSubTypes.Type(value = SegmentFilter.AttendedAtLeast.class, name = "attended_at_least"),
        @JsonSubTypes.Type(value = SegmentFilter.LadderAtLeast.class, name = "ladder_at_least")
})
public sealed interface SegmentFilter {
    /** Every filter matches (AND); an empty list matches everyone. */
    record All(List<SegmentFilter> filters) implements SegmentFilter {
    }

    /** At least one filter matches (OR); an empty list matches no one. */
    record Any(List<SegmentFilter> filters) implements SegmentFilter {
    }

    record Not(SegmentFilter filter) implements SegmentFilter {
    }

    record HasTag(String name) implements SegmentFilter {
    }

    record OnList(long listId) implements SegmentFilter {
    }

    record Language(String language) implements SegmentFilter {
    }

    record PostalCode(String postalCode) implements SegmentFilter {
    }

    record School(String school) implements SegmentFilter {
    }

    record EmailStatusIs(String status) implements SegmentFilter {
    }

    /** Joined before the start of this day (UTC). */
    record JoinedBefore(LocalDate date) implements SegmentFilter {
    }

    /** Joined on or after the start of this day (UTC). */
    record JoinedAfter(LocalDate date) implements SegmentFilter {
    }

    /** Brought in with this person's referral code. */
    record RecruitedBy(long personId) implements SegmentFilter {
    }

    record SignedPetition(long petitionId) implements SegmentFilter {
    }

    record PledgedEvent(long eventId) implements SegmentFilter {
    }

    record AttendedEvent(long eventId) implements SegmentFilter {
    }

    /** Attended at least this many different events. */
    record AttendedAtLeast(int count) implements SegmentFilter {
    }

    /** On this rung of the leadership ladder or higher ({@link Ladder}: signed … leader). */
    record LadderAtLeast(String level) implements SegmentFilter {
    }
}
