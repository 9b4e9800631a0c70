package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * overparam reproduce: the list, quick figures end to end (with numbers that would be wrong if the runs were), --all
 * with a missing data set, bad input.
 */
class ReproduceCliTest {
    @TempDir
    Path tmp;

    @Test
    void listsTheFiguresWithTheirRunTimes() {
        CliRuns.Run r = run("reproduce");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("du2019-fig1") && r.out().contains("arora2019"), r.out());
        assertTrue(r.out().contains("about") && r.out().contains(" s on 2 cores"), "full run times are listed: " + r.out());
    }

    @Test
    void duFig1QuickWritesFiguresNumbersAndTheComparison() throws Exception {
        Path out = tmp.resolve("figs");
        CliRuns.Run r = run("reproduce", "du2019-fig1", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("du2019-fig1");
        for (String f : List.of("du2019-fig1a-loss", "du2019-fig1b-patterns", "du2019-fig1c-movement")) {
            for (String ext : List.of(".svg", ".png", ".pdf")) {
                assertTrue(Files.size(dir.resolve(f + ext)) > 1000, f + ext);
            }
        }
        List<String> csv = Files.readAllLines(dir.resolve("du2019-fig1bc-width.csv"));
        assertEquals("width,pattern_change_fraction_mean,pattern_change_fraction_sd,neuron_movement_max_mean,"
                + "neuron_movement_max_sd,final_loss_seed0", csv.get(0));
        assertEquals(4, csv.size(), "three widths");
        String page = Files.readString(dir.resolve("README.md"));
        assertTrue(page.contains("**The paper reports.**") && page.contains("**Setup.**")
                && page.contains("du2019-fig1a-loss.png"), page);
        assertTrue(r.out().contains("fitted slope"), r.out());
    }

    @Test
    void allSkipsWhatHasNoDataAndOneFigureWithoutItIsAnError() throws Exception {
        Path noMnist = tmp.resolve("no-mnist");
        CliRuns.Run one = run("reproduce", "arora2019", "--quick", "--mnist", noMnist.toString(), "--out",
                tmp.resolve("a").toString());
        assertEquals(2, one.code(), one.err());
        assertTrue(one.err().contains("--mnist DIR"), one.err());
        assertEquals(2, run("reproduce", "nosuch").code());
        assertEquals(2, run("reproduce", "du2019-fig1", "--all").code());
    }

    /** Soudry & Carmon's rank: exact linear algebra, so the quick version must agree with the paper at every width. */
    @Test
    void soudryQuickFollowsMinOfOneAndTheWeightCount() throws Exception {
        Path out = tmp.resolve("s");
        CliRuns.Run r = run("reproduce", "soudry2016", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at 12 of 12 widths") && r.out().contains("As in the paper"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("soudry2016").resolve("soudry2016-rank.csv"));
        assertEquals("d1,d0_d1_over_n,rank_over_n_leaky_relu,rank_over_n_linear", csv.get(0));
        assertEquals(13, csv.size());
    }

    /** The figure's three files, each more than a placeholder. */
    private static void assertFigures(Path dir, String... figures) throws Exception {
        for (String f : figures) {
            for (String ext : List.of(".svg", ".png", ".pdf")) {
                assertTrue(Files.size(dir.resolve(f + ext)) > 1000, f + ext);
            }
        }
    }

    /** The rows of a CSV file after its header, split at commas (empty cells kept). */
    private static List<String[]> rows(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",", -1)).toList();
    }

    /** The MNIST folder shared beside the checkout (shared/data/mnist in an ancestor of the working directory). */
    private static Path mnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path m = p.resolve("shared").resolve("data").resolve("mnist");
            if (Files.isDirectory(m)) {
                return m;
            }
        }
        return null;
    }

    /** Zhang et al. 2017 Fig. 1: random labels are fit, later than true ones, and their test error is near chance. */
    @Test
    void zhangQuickFitsRandomLabelsSlowerAndTheirTestErrorIsNearChance() throws Exception {
        Path data = mnist();
        assumeTrue(data != null, "MNIST is not in shared/data/mnist beside the checkout");
        Path out = tmp.resolve("z");
        CliRuns.Run r = run("reproduce", "zhang2017", "--quick", "--threads", "1", "--mnist", data.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("zhang2017");
        assertFigures(dir, "zhang2017-fig1a-loss", "zhang2017-fig1b-time-to-fit", "zhang2017-fig1c-test-error");
        assertEquals("p,seeds,seeds_fit,steps_to_fit_mean,steps_to_fit_sd,test_error_mean,test_error_sd",
                Files.readAllLines(dir.resolve("zhang2017-fig1bc.csv")).get(0));
        assertEquals(5, rows(dir.resolve("zhang2017-fig1bc.csv")).size(), "five corruption levels");
        List<String[]> runs = rows(dir.resolve("zhang2017-runs.csv"));
        assertEquals(8, runs.size(), "five label levels and three input randomizations, one seed");
        String[] truth = runs.stream().filter(c -> c[0].equals("true labels")).findFirst().orElseThrow();
        String[] random = runs.stream().filter(c -> c[0].equals("random labels")).findFirst().orElseThrow();
        assertEquals("1", truth[3], "true labels fit");
        assertEquals("1", random[3], "random labels fit too");
        assertTrue(Long.parseLong(truth[4]) < Long.parseLong(random[4]), "true labels fit faster than random ones");
        assertTrue(Double.parseDouble(truth[8]) < 0.3, "true labels generalize: test error " + truth[8]);
        assertTrue(Math.abs(Double.parseDouble(random[8]) - 0.9) < 0.1, "random labels: chance, got " + random[8]);
        assertTrue(Files.readAllLines(dir.resolve("zhang2017-fig1a-loss.csv")).get(0).startsWith(
                "true_labels_step,true_labels_loss,random_labels_step"));
    }

    /** Deep against wide: the nets have the parameter counts claimed, and the widest reaches ε at the largest count. */
    @Test
    void deepVsWideQuickMatchesParameterCounts() throws Exception {
        Path out = tmp.resolve("dw");
        CliRuns.Run r = run("reproduce", "deep-vs-wide", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("deep-vs-wide");
        assertFigures(dir, "deep-vs-wide-steps", "deep-vs-wide-loss");
        assertEquals("depth,target_parameters,width,parameters,seeds_reached,steps_mean,steps_sd,final_loss_max",
                Files.readAllLines(dir.resolve("deep-vs-wide-steps.csv")).get(0));
        List<String[]> rows = rows(dir.resolve("deep-vs-wide-steps.csv"));
        assertEquals(9, rows.size(), "three depths by three counts");
        for (String[] row : rows) {
            long depth = Long.parseLong(row[0]);
            long w = Long.parseLong(row[2]);
            // d = 10 inputs, one output, biases: d w + (L - 1) w^2 + w + L w + 1
            assertEquals(10 * w + (depth - 1) * w * w + w + depth * w + 1, Long.parseLong(row[3]), String.join(",", row));
            assertTrue(Math.abs(Long.parseLong(row[3]) - Long.parseLong(row[1])) <= 0.1 * Long.parseLong(row[1]),
                    "within 10% of the target: " + String.join(",", row));
        }
        String[] widest = rows.stream().filter(c -> c[0].equals("1") && c[1].equals("10000")).findFirst().orElseThrow();
        assertEquals("2", widest[4], "both seeds of the widest net reach eps");
        assertTrue(Double.parseDouble(widest[7]) <= 1e-3, "and stop at eps: " + widest[7]);
        assertEquals(18, rows(dir.resolve("deep-vs-wide-runs.csv")).size(), "two seeds each");
    }

    /** The constructions memorize exactly, with the unit counts their theorems give; GD's width is a width. */
    @Test
    void constructionsQuickAreExactAndGdNeedsAWidth() throws Exception {
        Path out = tmp.resolve("c");
        CliRuns.Run r = run("reproduce", "constructions", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("constructions");
        assertFigures(dir, "constructions-width", "constructions-parameters");
        assertEquals("n,zhang_hidden_units,zhang_parameters,zhang_max_error,yun_hidden_units,yun_parameters,"
                + "yun_max_error,gd_min_width,gd_last_failing_width,gd_parameters_at_min_width,gd_no_fit_up_to_width",
                Files.readAllLines(dir.resolve("constructions.csv")).get(0));
        List<String[]> rows = rows(dir.resolve("constructions.csv"));
        assertEquals(4, rows.size(), "four n");
        for (String[] row : rows) {
            int n = Integer.parseInt(row[0]);
            assertEquals(n, Integer.parseInt(row[1]), "Zhang et al.: one hidden unit per point");
            assertEquals(5L * n + 2 * n + 1, Long.parseLong(row[2]), "n d + 2n + 1 stored numbers, d = 5");
            assertTrue(Double.parseDouble(row[3]) < 1e-6 && Double.parseDouble(row[6]) < 1e-6, "exact: "
                    + String.join(",", row));
            assertTrue(Integer.parseInt(row[4]) < n || n < 40, "Yun et al.: fewer units than points from n = 40");
            assertTrue(!row[7].isEmpty() || !row[10].isEmpty(), "GD's width found or censored");
            if (!row[7].isEmpty()) {
                int m = Integer.parseInt(row[7]);
                assertTrue(m >= 1 && (row[8].isEmpty() || Integer.parseInt(row[8]) < m), String.join(",", row));
            }
        }
        assertTrue(r.out().contains("memorize every set exactly"), r.out());
    }
}
