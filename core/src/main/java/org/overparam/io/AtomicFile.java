package org.overparam.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.overparam.InputError;

/**
 * Writes a whole file or nothing: into a hidden sibling {@code .NAME.partial.EXT} (same extension, so writers that
 * pick the format from it work), then renamed over the target. On any failure the temporary file is removed, so a
 * failed command leaves neither a half-written target nor a {@code .partial} file (issue 11).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes the temporary file given to it. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path tmp = abs.resolveSibling("." + name + ".partial" + (dot > 0 ? name.substring(dot) : ""));
        boolean done = false;
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new InputError("cannot write " + target + " (" + Json.oneLine(e) + ")");
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do: the target itself is untouched
                }
            }
        }
    }
}
