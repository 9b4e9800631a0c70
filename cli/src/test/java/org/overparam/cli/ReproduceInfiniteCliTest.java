package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reproduce lee2019-infinite and du2019-depth, quick: the figures and numbers are written, the finite nets' gap to the
 * infinite-width prediction shrinks from the narrowest to the widest net, and the depth study fits the ResNet at every
 * depth.
 */
class ReproduceInfiniteCliTest {
    @TempDir
    Path tmp;

    @Test
    void finiteNetsApproachTheInfiniteWidthPrediction() throws Exception {
        CliRuns.Run r = run("reproduce", "lee2019-infinite", "--quick", "--threads", "1", "--out", tmp.resolve("f").toString());
        assertEquals(0, r.code(), r.err());
        Path dir = tmp.resolve("f/lee2019-infinite");
        for (String f : List.of("lee2019-infinite-gap", "lee2019-infinite-width")) {
            assertTrue(Files.size(dir.resolve(f + ".svg")) > 1000 && Files.size(dir.resolve(f + ".png")) > 1000, f);
        }
        List<String> csv = Files.readAllLines(dir.resolve("lee2019-infinite-width.csv"));
        assertEquals("width,max_gap_mean,max_gap_sd", csv.get(0));
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        double last = Double.parseDouble(csv.get(csv.size() - 1).split(",")[1]);
        assertTrue(last < first / 3, "64x wider, gap " + first + " -> " + last + " (theory: 8x smaller)");
    }

    @Test
    void depthStudyWritesBothFamilies() throws Exception {
        CliRuns.Run r = run("reproduce", "du2019-depth", "--quick", "--threads", "1", "--out", tmp.resolve("d").toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(tmp.resolve("d/du2019-depth/du2019-depth.csv"));
        assertTrue(csv.get(0).startsWith("depth,plain_lambda_min_over_n_mean"), csv.get(0));
        List<String> header = List.of(csv.get(0).split(","));
        int steps = header.indexOf("resnet_steps_mean");
        int width = header.indexOf("resnet_width_needed_mean");
        assertTrue(steps > 0 && width > 0, csv.get(0));
        for (String row : csv.subList(1, csv.size())) {
            String[] c = row.split(",", -1);
            assertTrue(!c[steps].isEmpty() && Double.parseDouble(c[steps]) >= 1, "the ResNet fits at depth " + c[0]
                    + ": " + row);
            // the quick study's width is 64: the ResNet fits at a width between 1 and it at every depth
            double w = Double.parseDouble(c[width]);
            assertTrue(w >= 1 && w <= 64, "the ResNet's width needed at depth " + c[0] + ": " + row);
        }
    }
}
