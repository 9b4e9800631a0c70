package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.ResultsStore;
import org.overparam.experiment.RunConfig;
import org.overparam.io.Json;

/** train --track: the papers' measurements in loss.csv and metrics.jsonl; bad choices are one-line errors. */
class TrackCliTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void trackedColumnsAreWrittenAtRecordStepsOnly() throws Exception {
        Path out = tmp.resolve("t");
        CliRuns.Run r = run("train", "--dataset", "sphere:n=10,d=3", "--parameterization", "du2019", "--no-bias",
                "--hidden", "64", "--lr", "1", "--steps", "20", "--record-every", "5", "--track", "neurons,pl",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out.resolve("loss.csv"));
        assertTrue(lines.get(0).endsWith(",neuron_movement_max,neuron_movement_q50,neuron_movement_q90,pl_ratio,pl_mu_kernel"),
                lines.get(0));
        List<String> rows = Files.readAllLines(out.resolve("metrics.jsonl"));
        Map<String, Object> at5 = (Map<String, Object>) Json.parse(rows.get(5));
        Map<String, Object> at6 = (Map<String, Object>) Json.parse(rows.get(6));
        assertTrue(((Number) at5.get("neuron_movement_max")).doubleValue() > 0, at5.toString());
        assertTrue(at5.containsKey("pl_ratio") && !at6.containsKey("neuron_movement_max"), at6.toString());
        // tracking measures the run without changing it: the config hash (a sweep store's key) ignores it
        Map<String, Object> cfg = (Map<String, Object>) ((Map<String, Object>) Json.read(out.resolve("config.json")))
                .get("config");
        assertEquals("neurons,pl", cfg.get("track"));
        RunConfig c = RunConfig.fromMap(cfg, "t");
        assertEquals(ResultsStore.configHash(c), ResultsStore.configHash(c.with(java.util.Collections.singletonMap(
                "track", null), "t")));
    }

    @Test
    void badTrackingChoicesAreOneLineErrors() {
        for (String[] extra : List.of(new String[] {"--track", "neurons,nosuch"},
                new String[] {"--track", "linearization", "--optimizer", "sgd", "--batch", "4"},
                new String[] {"--track", "kernel", "--kernel-every", "-1"})) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("train", "--dataset",
                    "sphere:n=8,d=3", "--hidden", "8", "--steps", "3", "--out", tmp.resolve("b").toString()),
                    java.util.Arrays.stream(extra)).toArray(String[]::new);
            CliRuns.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", extra) + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
        }
    }
}
