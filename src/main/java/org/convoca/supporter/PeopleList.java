package org.convoca.supporter;

import java.time.OffsetDateTime;

/** A static list of people, picked by hand or from a search. */
public record PeopleList(long id, String name, String description, int members, OffsetDateTime createdAt,
                         OffsetDateTime updatedAt) {
}
