package org.convoca.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Throw-away folders (a code-generation or test database's data) removed when done with. */
public final class Folders {
    private Folders() {
    }

    /** Deletes the folder and everything in it; best effort (what cannot be deleted stays). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a file vanished or cannot be read: what is left stays in the temporary folder
        }
    }
}
