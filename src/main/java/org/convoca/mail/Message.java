package org.convoca.mail;

import java.time.OffsetDateTime;
import java.util.List;

/** A message (one email to many people) as pages, the API and the sender see it. */
public record Message(long id, String subject, String preheader, String body, String subjectEs, String bodyEs,
                      String preheaderEs, String fromName, String fromAddress, String replyTo, boolean tracking,
                      MessageStatus status, OffsetDateTime scheduledAt, List<Target> targets,
                      List<Target> exclusions, int total, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                      OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public boolean hasSpanish() {
        return subjectEs != null && !subjectEs.isBlank() && bodyEs != null && !bodyEs.isBlank();
    }

    public String statusCode() {
        return status.code();
    }
}
