package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.json;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.CertifyRun;
import org.overparam.io.Json;

/** Issue 12: one provenance on every result, a --help that lists every check, suggestions for misspellings. */
class ProvenanceAndHelpTest {
    @TempDir
    Path tmp;

    static final List<String> KEYS = List.of("overparam", "git_commit", "java", "os", "cpu", "cores", "blas",
            "blas_threads", "threads", "seed", "created");

    @SuppressWarnings("unchecked")
    private static void hasProvenance(Map<String, Object> r, Object seed) {
        Map<String, Object> p = (Map<String, Object>) r.get("provenance");
        assertTrue(p != null, "no provenance in " + r.keySet());
        assertTrue(p.keySet().containsAll(KEYS), p.toString());
        assertEquals(seed, p.get("seed"));
        // the version comes from the build (pom.xml), not from a literal
        String pom = new String(readUnchecked(Path.of("../pom.xml")), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(pom.contains("<version>" + p.get("overparam") + "</version>"), p.get("overparam") + " not pom's version");
    }

    private static byte[] readUnchecked(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyResultCarriesProvenance() throws Exception {
        hasProvenance(json(run("kernel", "--dataset", "sphere:n=5,d=3", "--json")), null);
        hasProvenance(json(run("ntk", "--hidden", "8", "--seed", "4", "--dataset", "sphere:n=5,d=3", "--json")), 4L);
        Path out = tmp.resolve("run");
        assertEquals(0, run("train", "--dataset", "sphere:n=5,d=3", "--hidden", "4", "--steps", "2", "--seed", "9",
                "--out", out.toString()).code());
        hasProvenance((Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json"))), 9L);
        Map<String, Object> c = json(run("certify", "--checks", "pl-least-squares", "--dataset", "sphere:n=5,d=3",
                "--hidden", "8", "--seed", "2", "--steps", "5", "--out", tmp.resolve("cert").toString(), "--json"));
        hasProvenance(c, 2L);
    }

    @Test
    void certifyHelpListsEveryRegisteredCheck() {
        CliRuns.Run r = run("certify", "--help");
        assertEquals(0, r.code());
        for (String id : CertifyRun.checkIds()) {
            assertTrue(r.out().contains("\n  " + id + "\n"), id + " missing from certify --help");
        }
        assertEquals(13, CertifyRun.checkIds().size()); // 12 and, since issue 15, depth-resnet
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
    }

    @Test
    void misspellingsGetASuggestion() {
        CliRuns.Run cmd = run("trian");
        assertEquals(2, cmd.code());
        assertTrue(cmd.err().contains("did you mean train"), cmd.err());
        CliRuns.Run opt = run("train", "--stpes", "3");
        assertEquals(2, opt.code());
        assertTrue(opt.err().contains("did you mean --steps"), opt.err());
        assertEquals(1, opt.err().strip().lines().count());
        assertFalse(opt.err().contains("\tat "));
    }
}
