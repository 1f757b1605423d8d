package org.convoca.supporter.imports;

import java.util.Arrays;
import java.util.Optional;

/** An import's state, as {@code imports.status} (CHECK). The API shows pending as running. */
public enum ImportStatus {
    PENDING("pending"), RUNNING("running"), DONE("done"), FAILED("failed");

    private final String value;

    ImportStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ImportStatus> parse(String s) {
        return Arrays.stream(values()).filter(v -> v.value.equals(s)).findFirst();
    }
}
