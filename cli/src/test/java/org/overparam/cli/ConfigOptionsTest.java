package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.json;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.experiment.ConfigField;

/** Issue 12: the configuration's options come from one table, and its errors are reported under their flags. */
class ConfigOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void aFieldsErrorIsReportedUnderItsFlag() {
        CliRuns.Run r = run("train", "--dataset", "sphere:n=8,d=3", "--lr", "-1", "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("overparam: error: --lr must be a positive number, got -1.0", r.err().strip());
        r = run("train", "--dataset", "sphere:n=8,d=3", "--no-bias", "--threads", "0", "--out", tmp.resolve("o").toString());
        assertEquals("overparam: error: --threads must be between 1 and 1024, got 0", r.err().strip());
        r = run("eval", "--model", "m.npz", "--loss", "nosuch");
        assertEquals(2, r.code(), r.err());
    }

    @Test
    void helpShowsEachFieldOnceUnderItsSectionWithTheTablesDefault() {
        String help = run("train", "--help").out();
        for (ConfigField.Section s : ConfigField.Section.values()) {
            assertTrue(help.contains("\n" + s.heading + ":\n"), s.heading);
        }
        int lr = help.indexOf("\n      --lr=ETA");
        assertTrue(lr > help.indexOf("\nTraining:\n") && lr < help.indexOf("\nOutput:\n"), "--lr under Training");
        for (ConfigField f : ConfigField.values()) {
            assertTrue(help.contains(f.flag()), f.flag());
        }
        assertTrue(help.contains("Step size (default: " + ConfigField.LR.defaultText + ")"), help);
    }

    @Test
    void aRunGetsTheTablesDefaultsAndTheGivenValues() {
        Path out = tmp.resolve("run");
        CliRuns.Run r = run("train", "--dataset", "sphere:n=8,d=3", "--hidden", "4", "--steps", "3", "--no-bias",
                "--activation", "leaky_relu", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) org.overparam.io.Json.read(out.resolve("config.json"))).get("config");
        assertEquals(false, c.get("bias"));
        assertEquals("leaky_relu", c.get("activation"), "the text as written");
        assertEquals(0.1, c.get("lr"));
        assertEquals(3L, ((Number) c.get("steps")).longValue());
        assertEquals(128L, ((Number) c.get("batch")).longValue());
        assertEquals(3L, ((Number) json(r).get("steps")).longValue());
    }
}
