package org.convoca.supporter;

import java.time.OffsetDateTime;

/** A tag and how many people carry it. */
public record Tag(long id, String name, int people, OffsetDateTime createdAt) {
}
