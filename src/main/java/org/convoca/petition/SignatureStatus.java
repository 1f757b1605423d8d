package org.convoca.petition;

import java.util.Locale;

/** Mirrors the CHECK on signatures.status: only confirmed signatures count. */
public enum SignatureStatus {
    PENDING, CONFIRMED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
