package org.overparam.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.overparam.InputError;
import org.overparam.io.Json;

/**
 * A run's output folder, written into a hidden sibling {@code .NAME.partial-…} and moved into place only when the
 * run has finished, so an interrupted or failed run never leaves a folder that looks complete.
 *
 * <p>Nothing a user owns is replaced. An existing folder is replaced only when it carries {@link #MARKER}, a file
 * that only overparam writes (tool name, format version, and the list of every file the run wrote), and holds
 * nothing besides those files; otherwise the command stops with exit 2 before any work. A config.json alone proves
 * nothing (a Hugging Face model folder has one). Replacing is rename-based: the old folder is renamed aside, the new
 * one renamed in, then the old one deleted, so a complete folder exists at every instant (and a run killed between
 * the two renames has the old folder put back by the next run into the same place).
 *
 * <p>Two runs into the same folder at once: the first holds {@link FolderLock} ({@code .NAME.lock} next to it) for
 * its whole run; the second stops at once with exit 2, before training, naming the lock's process.
 */
public final class OutputFolder implements AutoCloseable {
    /** The marker file that makes a folder overparam's to replace. */
    public static final String MARKER = ".overparam-output.json";
    /** Inside a folder under construction: lets the next run into the same place remove it if this run was killed. */
    static final String PARTIAL_MARKER = ".overparam-partial";
    static final int FORMAT = 1;

    private final Path target;
    private final Path partial;
    private final FolderLock lock;
    private boolean committed;

    public OutputFolder(Path target) {
        Path abs = checkTarget(target);
        this.target = abs;
        Path parent = abs.getParent();
        if (parent == null) {
            throw new InputError(target + " is a file system root; choose a folder for --out");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new InputError("cannot create the folder " + parent + " (" + e.getMessage() + "); choose a writable --out");
        }
        this.lock = FolderLock.acquire(parent.resolve("." + abs.getFileName() + ".lock"), target);
        try {
            recoverOrClean(parent, abs);
            checkReplaceable(abs, target);
            Path p;
            java.util.SplittableRandom rng = new java.util.SplittableRandom();
            do {
                p = parent.resolve("." + abs.getFileName() + ".partial-" + Long.toHexString(rng.nextLong()));
            } while (Files.exists(p, LinkOption.NOFOLLOW_LINKS));
            // not createTempDirectory: that makes the folder owner-only (0700), and it becomes the output folder
            this.partial = Files.createDirectory(p);
            Files.writeString(partial.resolve(PARTIAL_MARKER), "overparam " + FORMAT + "\n");
        } catch (IOException e) {
            lock.close();
            throw new InputError("cannot create the output folder next to " + target + " (" + e.getMessage()
                    + "); choose a writable --out");
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The absolute --out, refused when it is a symbolic link (even a dangling one) or an existing non-folder. */
    private static Path checkTarget(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs)) {
            throw new InputError(out + " is a symbolic link; give --out the real folder's path");
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new InputError(out + " exists and is not a folder; choose another --out");
        }
        return abs;
    }

    /**
     * Refuses a folder that exists, is not empty, and is not entirely overparam's: no marker, a marker of another
     * tool or format, or files the marker does not list (a user's notes added to an old output folder).
     */
    static void checkReplaceable(Path abs, Path shown) {
        if (!Files.isDirectory(abs) || isEmpty(abs)) {
            return;
        }
        Set<String> listed = listedFiles(abs);
        if (listed == null && legacyOutput(abs)) {
            return;
        }
        if (listed == null) {
            throw new InputError(shown + " exists and was not written by overparam (no " + MARKER + " in it); choose "
                    + "another --out (overparam never replaces a folder it did not write)");
        }
        String foreign = firstUnlisted(abs, "");
        if (foreign != null) {
            throw new InputError(shown + " holds " + foreign + ", which overparam did not write; move it away or choose "
                    + "another --out (overparam replaces only folders holding nothing but its own files)");
        }
    }

    /**
     * The first file below {@code dir} that no marker lists, or null: each file answers to the marker of the nearest
     * folder above it that has one, so an output folder nested in another (the demo's certificate/, written into the
     * run's folder after it was committed) is covered by its own marker.
     */
    private static String firstUnlisted(Path dir, String prefix) {
        Set<String> listed = listedFiles(dir);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && listedFiles(p) != null) {
                    String f = firstUnlisted(p, prefix + name + "/");
                    if (f != null) {
                        return f;
                    }
                    continue;
                }
                for (String f : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? filesIn(p).stream()
                        .map(x -> name + "/" + x).toList() : List.of(name)) {
                    if (!f.equals(MARKER) && (listed == null || !listed.contains(f))) {
                        return prefix + f;
                    }
                }
            }
        } catch (IOException e) {
            throw new InputError("cannot read " + dir + " (" + e.getMessage() + ")");
        }
        return null;
    }

    /** The files an overparam output folder held before the marker existed (train, demo, certify, min-width). */
    static final Set<String> LEGACY_FILES = Set.of("config.json", "summary.json", "loss.csv", "metrics.jsonl", "loss.svg",
            "model.npz", "certificate.json", "report.html", "min-width.json", "m-star.svg");

    /**
     * An output folder of an overparam from before {@link #MARKER}: nothing but files of those names (at the top or
     * under certificate/), one of its JSON files carrying overparam's provenance ({"provenance": {"overparam": …}}).
     * A model folder's config.json or a user's notes fail the first test.
     */
    static boolean legacyOutput(Path dir) {
        boolean provenance = false;
        for (String f : filesIn(dir)) {
            String name = f.startsWith("certificate/") ? f.substring("certificate/".length()) : f;
            if (name.contains("/") || !LEGACY_FILES.contains(name)) {
                return false;
            }
            if (name.endsWith(".json") && !provenance) {
                try {
                    Object o = Json.parse(Files.readString(dir.resolve(f)));
                    provenance = o instanceof Map<?, ?> m && m.get("provenance") instanceof Map<?, ?> p
                            && p.get("overparam") instanceof String;
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }
        }
        return provenance;
    }

    /** The files a folder's marker lists, or null when it has no valid overparam marker. */
    static Set<String> listedFiles(Path dir) {
        Path m = dir.resolve(MARKER);
        if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            Object o = Json.parse(Files.readString(m));
            if (o instanceof Map<?, ?> map && "overparam".equals(map.get("tool")) && map.get("format") instanceof Number f
                    && f.intValue() == FORMAT && map.get("files") instanceof List<?> files) {
                Set<String> out = new TreeSet<>();
                for (Object x : files) {
                    out.add(String.valueOf(x));
                }
                return out;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Every entry below dir that is not a directory, as relative paths with '/' (symbolic links are entries). */
    static List<String> filesIn(Path dir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(dir.relativize(p).toString().replace('\\', '/'));
                }
            }
        } catch (IOException e) {
            throw new InputError("cannot read " + dir + " (" + e.getMessage() + ")");
        }
        return out;
    }

    /**
     * Under the lock: folders left by killed runs into the same place. A partial folder (it holds
     * {@link #PARTIAL_MARKER}) is removed; an old folder renamed aside ({@code .NAME.old-…}, holding {@link #MARKER})
     * is put back if the target is missing (the run was killed between the two renames), else removed.
     */
    private static void recoverOrClean(Path parent, Path abs) throws IOException {
        String name = abs.getFileName().toString();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + name + ".{partial,old}-*")) {
            for (Path p : ds) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String base = p.getFileName().toString();
                if (base.startsWith("." + name + ".partial-") && Files.exists(p.resolve(PARTIAL_MARKER))) {
                    delete(p);
                } else if (base.startsWith("." + name + ".old-") && listedFiles(p) != null) {
                    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(p, abs, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        delete(p);
                    }
                }
            }
        }
    }

    /**
     * A folder that a long-running command writes into as it goes (a study's runs and reports): created if missing,
     * claimed with {@link #MARKER} if empty, accepted if already overparam's (resuming), refused otherwise.
     */
    public static Path claimWorkingFolder(Path out, String kind) {
        Path abs = checkTarget(out);
        if (Files.isDirectory(abs) && !isEmpty(abs) && listedFiles(abs) == null) {
            throw new InputError(out + " exists and was not written by overparam (no " + MARKER + " in it); choose "
                    + "another --out (overparam never writes into a folder it did not create)");
        }
        try {
            Files.createDirectories(abs);
            if (listedFiles(abs) == null) {
                writeMarker(abs, kind, List.of());
            }
        } catch (IOException e) {
            throw new InputError("cannot create " + out + " (" + e.getMessage() + "); choose a writable --out");
        }
        return abs;
    }

    private static void writeMarker(Path dir, String kind, List<String> files) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "overparam");
        m.put("format", FORMAT);
        m.put("kind", kind);
        m.put("files", files);
        Files.writeString(dir.resolve(MARKER), Json.write(m) + "\n");
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

    /**
     * Moves the finished folder into place: the marker listing every file is written, the old folder (if any) is
     * renamed aside, the new one renamed in, the old one deleted.
     */
    public void commit() {
        try {
            Files.delete(partial.resolve(PARTIAL_MARKER));
            writeMarker(partial, "run", filesIn(partial));
            Path old = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                checkReplaceable(target, target); // again: a user may have added a file while the run was training
                old = target.resolveSibling("." + target.getFileName() + ".old-"
                        + Long.toHexString(new java.util.SplittableRandom().nextLong()));
                move(target, old);
            }
            move(partial, target);
            committed = true;
            if (old != null) {
                delete(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Removes the partial folder unless it was committed, and releases the lock. */
    @Override
    public void close() {
        try {
            if (!committed) {
                delete(partial);
            }
        } catch (IOException e) {
            // best effort: a hidden .partial folder is left behind (the next run into the same place removes it)
        } finally {
            lock.close();
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
