package org.overparam.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.overparam.InputError;

/**
 * A run's output folder, written into a hidden sibling {@code .NAME.partial-…} and moved into place only
 * when the run has finished (completed or diverged), so an interrupted or failed run never leaves a
 * folder that looks complete. An existing folder is replaced only when it is an overparam output folder
 * (it holds config.json).
 */
public final class OutputFolder implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private boolean committed;

    public OutputFolder(Path target) {
        this.target = target.toAbsolutePath().normalize();
        if (Files.exists(this.target)) {
            if (!Files.isDirectory(this.target)) {
                throw new InputError(target + " exists and is not a folder; choose another --out");
            }
            if (!Files.exists(this.target.resolve("config.json")) && !isEmpty(this.target)) {
                throw new InputError(target + " exists and is not an overparam output folder; choose another --out");
            }
        }
        try {
            Path parent = this.target.getParent();
            Files.createDirectories(parent);
            // not createTempDirectory: that makes the folder owner-only (0700), and it becomes the output folder
            Path p;
            java.util.SplittableRandom rng = new java.util.SplittableRandom();
            do {
                p = parent.resolve("." + this.target.getFileName() + ".partial-" + Long.toHexString(rng.nextLong()));
            } while (Files.exists(p));
            this.partial = Files.createDirectory(p);
        } catch (IOException e) {
            throw new InputError("cannot create the output folder next to " + target + " (" + e.getMessage()
                    + "); choose a writable --out");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Where files are written while the run is under way. */
    public Path dir() {
        return partial;
    }

    /** The final location. */
    public Path target() {
        return target;
    }

    /** Moves the finished folder into place, replacing an earlier run's folder. */
    public void commit() {
        try {
            if (Files.exists(target)) {
                delete(target);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the partial folder unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            try {
                delete(partial);
            } catch (IOException e) {
                // best effort: a hidden .partial folder is left behind, never a complete-looking one
            }
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
