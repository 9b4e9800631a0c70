package org.overparam.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.io.Json;
import org.overparam.nn.Activations;
import org.overparam.nn.Parameterization;
import org.overparam.train.Optimizer;

/** The typed configuration: one table of fields, parsed once, written back as written, errors by field. */
class RunConfigTest {

    @Test
    void configJsonHasEveryFieldOfTheTableInItsOrder() {
        assertEquals(Arrays.stream(ConfigField.values()).map(f -> f.key).toList(),
                List.copyOf(RunConfig.defaults().toMap().keySet()));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RunConfig c = RunConfig.defaults();
        assertEquals(List.of(512), c.network().hidden().value());
        assertEquals("relu", c.network().activations().text());
        assertEquals(Parameterization.STANDARD, c.network().parameterization().value());
        assertEquals(org.overparam.train.Loss.MSE, c.training().loss().value());
        assertEquals(Optimizer.GD, c.training().optimizer().value());
        assertEquals(0.1, c.training().lr());
        assertEquals(1000L, c.training().steps());
        assertEquals(128, c.training().batch());
        assertEquals(10, c.training().recordEvery());
        assertEquals("overparam-run", c.out());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.threads());
    }

    /**
     * A config's hash is the SHA-256 of its flat map as written (sorted, run-independent keys removed); reading
     * the map into typed values and writing it back must give the same bytes, aliases and odd spellings
     * included, or every run an earlier version stored would be trained again.
     */
    @Test
    void parsingAndWritingBackKeepsEveryHash() throws Exception {
        Map<String, Object> odd = new HashMap<>(RunConfig.defaults().toMap());
        odd.putAll(Map.of("activation", "leaky_relu", "parameterization", "pytorch", "optimizer", "GD",
                "lr_schedule", "inverse:1e-3", "hidden", "64, 64", "sampling", "epochs", "train_layers", "0,1",
                "loss", "MSE", "dataset", "sphere:n=8,d=3"));
        for (Map<String, Object> raw : List.of(RunConfig.defaults().toMap(), odd)) {
            Map<String, Object> sorted = new TreeMap<>(raw);
            sorted.keySet().removeAll(ResultsStore.NOT_HASHED);
            ResultsStore.HASHED_WHEN_SET.forEach((k, v) -> sorted.remove(k, v));
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Json.writeCompact(sorted).getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, ResultsStore.configHash(RunConfig.fromMap(raw, "test")));
        }
        RunConfig c = RunConfig.fromMap(odd, "test");
        assertEquals(0.01, ((Activations.LeakyRelu) c.network().activations().value().get(0)).alpha());
        assertEquals(Parameterization.STANDARD, c.network().parameterization().value());
        assertEquals(Optimizer.GD, c.training().optimizer().value());
        assertEquals(List.of(64, 64), c.network().hidden().value());
        assertEquals("64, 64", c.toMap().get("hidden"));
    }

    @Test
    void errorsNameTheSourceAndTheField() {
        assertEquals("run.json: training.lr must be a positive number, got -1.0",
                message(Map.of("lr", -1.0)));
        assertEquals("run.json: training.momentum must be in [0, 1), got 1.0", message(Map.of("momentum", 1.0)));
        assertEquals("run.json: data.test_split must be a fraction in [0, 1), got 1.0", message(Map.of("test_split", 1.0)));
        assertEquals("run.json: machine.threads must be between 1 and 1024, got 0", message(Map.of("threads", 0)));
        assertTrue(message(Map.of("activation", "nosuch")).startsWith("run.json: network.activation: unknown activation"));
        assertTrue(message(Map.of("steps", 2.5)).startsWith("run.json: training.steps must be a whole number"));
        assertEquals("run.json: training.seed has the wrong type (true)", message(Map.of("seed", true)));
        assertTrue(message(Map.of("hidden", "8", "init_model", "m.npz")).startsWith(
                "run.json: network.hidden cannot be combined with network.init_model"));
        assertTrue(message(Map.of("learning_rate", 0.1)).contains("unknown key 'learning_rate'"));
    }

    private static String message(Map<String, Object> changes) {
        return assertThrows(InputError.class, () -> RunConfig.defaults().with(changes, "run.json")).getMessage();
    }
}
