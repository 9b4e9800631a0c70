package org.overparam.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.overparam.io.JsonBinding;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Parallel;

/**
 * Where a result came from, on every result overparam writes (summary.json, config.json, certificate.json and
 * certify --json, study and min-width reports): the overparam version and git commit read from the build
 * ({@code build.properties}, filtered by Maven and the git-commit-id plugin; "unknown" for a build without .git),
 * whether the checkout had uncommitted changes, Java, OS, CPU model and core count, the OpenBLAS preset version,
 * the core it was built for and its thread count, overparam's own thread count, the run's seed (null where a
 * command has none) and the UTC time.
 *
 * <p>Written by Jackson ({@link org.overparam.io.JsonBinding}) in the order of the components, snake_case; the keys
 * written before this record ("overparam", "java", "blas", "threads", "os", "created") keep their names and
 * meaning. {@code openblas_build_target} is the target OpenBLAS was compiled for; its DYNAMIC_ARCH build picks the
 * kernels for the CPU at run time, and the preset does not expose which (openblas_get_corename is not bound).
 * {@code seed} is written as null where a command has none.
 */
public record Provenance(String overparam, String gitCommit, Boolean gitDirty, @JsonProperty("java") String javaVersion,
        String os, String cpu, int cores, String blas, String openblasBuildTarget, int blasThreads, int threads,
        int parallelThreads, Long seed, String created) {

    private static final Properties BUILD = build();

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/org/overparam/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource: every field reads "unknown"
        }
        return p;
    }

    /** A build property, or "unknown" when absent or left unfiltered (a build without Maven or without .git). */
    private static String property(String key) {
        String v = BUILD.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    /** The overparam version of this build (pom.xml's, not a literal in code). */
    public static String version() {
        return property("version");
    }

    /** The provenance of a result computed now with {@code threads} threads (seed null when not applicable). */
    public static Provenance of(int threads, Long seed) {
        String dirty = property("git.dirty");
        return new Provenance(version(), property("git.commit"), dirty.equals("unknown") ? null : Boolean.valueOf(dirty),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), Blas.describe(),
                org.bytedeco.openblas.global.openblas.OPENBLAS_CHAR_CORENAME, Blas.threads(), threads, Parallel.threads(),
                seed, Instant.now().toString());
    }

    /** The CPU model from /proc/cpuinfo (Linux), else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable
        }
        return System.getProperty("os.arch");
    }

    /** As written into JSON files, as a map (for callers that assemble a map of their own). */
    public Map<String, Object> toMap() {
        return JsonBinding.toMap(this);
    }
}
