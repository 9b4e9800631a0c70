package org.overparam.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.overparam.InputError;

/**
 * Exclusive use of an output folder by one run: a lock directory {@code .NAME.lock} next to it, holding the owner's
 * process id, created atomically (built aside, then renamed into place, which fails if a lock is there); removed when the run ends. A lock left by a
 * killed run is recognized by its owner no longer running and taken over.
 *
 * <p>Not an OS file lock: POSIX record locks (what FileChannel.lock uses on Linux) are dropped when the process
 * closes <em>any</em> descriptor of the file, and a lock file cannot be removed safely while others may wait on it;
 * both made two concurrent runs into one folder each believe they held it.
 */
final class FolderLock implements AutoCloseable {
    private final Path dir;

    private FolderLock(Path dir) {
        this.dir = dir;
    }

    static FolderLock acquire(Path dir, Path shownTarget) {
        long me = ProcessHandle.current().pid();
        removeStaleTemporaries(dir);
        for (int attempt = 0; attempt < 3; attempt++) {
            // built aside with its pid, then renamed into place: a lock is never seen without its owner (a SIGKILL
            // between creating the folder and writing the pid left one that blocked the resumed run)
            Path tmp = dir.resolveSibling(dir.getFileName() + "-tmp-" + me + "-" + System.nanoTime());
            try {
                Files.createDirectory(tmp);
                Files.writeString(tmp.resolve("pid"), me + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                return new FolderLock(dir);
            } catch (IOException e) {
                removeQuietly(tmp);
                if (!Files.exists(dir)) {
                    throw new InputError("cannot lock " + dir + " (" + e.getMessage() + "); choose a writable --out");
                }
                // rename(2) onto an existing, non-empty lock fails (ENOTEMPTY or EEXIST): someone holds it
                long owner = owner(dir);
                boolean alive = owner > 0 && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
                if (alive || (owner <= 0 && youngerThanAMinute(dir))) {
                    throw new FolderBusyError("another overparam run" + (owner > 0 ? " (process " + owner + ")" : "")
                            + " is writing " + shownTarget + "; wait for it to finish or choose another --out (if no "
                            + "run is, remove " + dir + ")");
                }
                removeQuietly(dir); // the owner was killed: its lock is stale
            }
        }
        throw new InputError("cannot lock " + dir + ": it keeps reappearing; is another overparam run starting into "
                + shownTarget + "?");
    }

    /** Temporary lock folders of processes that were killed while creating them. */
    private static void removeStaleTemporaries(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.getParent(), dir.getFileName() + "-tmp-*")) {
            for (Path t : ds) {
                String[] parts = t.getFileName().toString().substring(dir.getFileName().toString().length() + 5).split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    removeQuietly(t);
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** The pid written in the lock, or 0 when it is not (yet) readable. */
    private static long owner(Path dir) {
        try {
            return Long.parseLong(Files.readString(dir.resolve("pid"), StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** A lock without a readable pid may be one being created this instant: it is respected for a minute. */
    private static boolean youngerThanAMinute(Path dir) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(dir).toMillis() < 60_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("pid"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // the next attempt reports it
        }
    }

    @Override
    public void close() {
        removeQuietly(dir);
    }
}
