package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.overparam.cli.CliRuns.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.Json;

/**
 * config.json files written by an earlier overparam (commit d3d748b, see resources/old-configs/README.md) rerun with
 * {@code train --config} and reproduce their losses bit for bit: the configuration format is a contract, whatever
 * the code that reads it becomes (issue 12).
 */
class OldConfigTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gd-mse", "sgd-logistic", "ntk-bias"})
    void anOldConfigRerunsBitForBit(String name) throws IOException {
        Path dir = Path.of("src/test/resources/old-configs", name);
        Path out = tmp.resolve(name);
        CliRuns.Run r = run("train", "--config", dir.resolve("config.json").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> old = Json.parseObject(Files.readString(dir.resolve("summary.json")), "old");
        Map<String, Object> now = Json.parseObject(Files.readString(out.resolve("summary.json")), "new");
        for (String key : List.of("initial_loss", "final_loss", "distance_from_init", "steps_run", "parameters")) {
            assertEquals(old.get(key), now.get(key), name + " " + key);
        }
        assertEquals(column(dir.resolve("loss.csv"), 3), column(out.resolve("loss.csv"), 3), name + " loss column");
    }

    private static List<String> column(Path csv, int k) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> l.split(",", -1)[k]).toList();
    }
}
