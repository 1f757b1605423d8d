package org.convoca.supporter;

import java.time.OffsetDateTime;

/** A saved segment: a name and its filter tree. */
public record Segment(long id, String name, SegmentFilter definition, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
