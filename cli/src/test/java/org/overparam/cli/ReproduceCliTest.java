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

    /** The CSV's rows as numbers (empty cells NaN), header checked. */
    private static double[][] csv(Path file, String header) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertEquals(header, lines.get(0));
        double[][] rows = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            rows[i - 1] = java.util.Arrays.stream(lines.get(i).split(",", -1))
                    .mapToDouble(v -> v.isEmpty() ? Double.NaN : Double.parseDouble(v)).toArray();
        }
        return rows;
    }

    /**
     * Liu, Zhu & Belkin: the output Hessian's norm falls from the smallest to the largest width, by at least the
     * factor √(512/64)/2 (half the 1/√m prediction), while the tangent kernel's diagonal stays within a factor 1.5.
     */
    @Test
    void liuQuickHessianShrinksWhileTheTangentKernelStays() throws Exception {
        Path out = tmp.resolve("liu");
        CliRuns.Run r = run("reproduce", "liu2020-hessian", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("liu2020-hessian");
        assertFigures(dir, "liu2020-hessian-norm", "liu2020-tangent-kernel");
        double[][] rows = csv(dir.resolve("liu2020-hessian.csv"), "width,hessian_norm_mean,hessian_norm_sd,"
                + "grad_norm_sq_mean,grad_norm_sq_sd,lanczos_relative_error_bound_max");
        assertEquals(4, rows.length, "four widths");
        double[] first = rows[0];
        double[] last = rows[rows.length - 1];
        assertEquals(64, first[0]);
        assertEquals(512, last[0]);
        for (int i = 1; i < rows.length; i++) {
            assertTrue(rows[i][1] < rows[i - 1][1], "the Hessian's norm decreases with width: " + rows[i][1]);
        }
        assertTrue(first[1] / last[1] > Math.sqrt(512.0 / 64) / 2, "fell by " + first[1] / last[1]);
        double kMax = java.util.Arrays.stream(rows).mapToDouble(x -> x[3]).max().orElseThrow();
        double kMin = java.util.Arrays.stream(rows).mapToDouble(x -> x[3]).min().orElseThrow();
        assertTrue(kMin > 0 && kMax / kMin < 1.5, "tangent kernel " + kMin + " .. " + kMax);
        assertTrue(java.util.Arrays.stream(rows).allMatch(x -> x[5] < 0.05), "Lanczos error bounds");
        assertTrue(r.out().contains("fitted slope") && r.out().contains("As in the paper"), r.out());
    }

    /**
     * Oymak & Soltanolkotabi: along every path the misfit falls, each recorded iterate stays under the trade-off line
     * (α/4)·dist + misfit ≤ ||r_0|| (so inside the radius 4||r_0||/α), and the distance relative to ||θ_0|| shrinks
     * from the narrowest to the widest net.
     */
    @Test
    void oymakQuickPathsStayUnderTheTradeOffLine() throws Exception {
        Path out = tmp.resolve("oymak");
        CliRuns.Run r = run("reproduce", "oymak2019", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("oymak2019");
        assertFigures(dir, "oymak2019-misfit-distance", "oymak2019-distance-width");
        double[][] w = csv(dir.resolve("oymak2019-width.csv"), "width,alpha,beta,misfit0,theta0_norm,lr,"
                + "final_distance,radius_bound,final_misfit,max_potential_over_misfit0,sigma_min_path_over_alpha");
        assertEquals(3, w.length, "three widths");
        double[][] paths = csv(dir.resolve("oymak2019-paths.csv"), "step,distance_m64,misfit_m64,distance_m256,"
                + "misfit_m256,distance_m1024,misfit_m1024");
        assertTrue(paths.length > 50, "the recorded path");
        for (int k = 0; k < w.length; k++) {
            double alpha = w[k][1];
            double r0 = w[k][3];
            assertEquals(0.0, paths[0][1 + 2 * k], 0.0, "the path starts at θ_0");
            assertEquals(r0, paths[0][2 + 2 * k], 1e-9 * r0, "‖f(θ_0) − y‖ from the run and from the network agree");
            for (int i = 1; i < paths.length; i++) {
                double dist = paths[i][1 + 2 * k];
                double misfit = paths[i][2 + 2 * k];
                assertTrue(misfit <= paths[i - 1][2 + 2 * k] + 1e-12, "misfit decreases along the path");
                assertTrue(alpha / 4 * dist + misfit <= r0 * (1 + 1e-9), "under the trade-off line at row " + i);
            }
            assertTrue(w[k][8] < 0.05 * r0, "the misfit fell by 20x at least: " + w[k][8] + " of " + r0);
            assertTrue(w[k][6] < w[k][7], "the distance is below the radius 4||r_0||/α");
        }
        assertTrue(w[2][6] / w[2][4] < w[0][6] / w[0][4], "the distance relative to ||θ_0|| shrinks with width");
        assertTrue(r.out().contains("As in the paper"), r.out());
    }

    /**
     * Chen et al.'s NTRF experiment: a width is measured (or bounded) at every n, far below the n² of earlier
     * analyses, the runs there reached the target training loss, and the statement follows PolylogRun's reading.
     */
    @Test
    void chenQuickMeasuresSmallWidthsAtEveryN() throws Exception {
        Path out = tmp.resolve("chen");
        CliRuns.Run r = run("reproduce", "chen2021-ntrf", "--quick", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = out.resolve("chen2021-ntrf");
        assertFigures(dir, "chen2021-width", "chen2021-error");
        double[][] rows = csv(dir.resolve("chen2021-ntrf.csv"), "n,width,censored,ntrf_margin_met,test_error,"
                + "train_loss,eps_ntrf,eps_ntrf_gap,bound_thm35");
        assertEquals(6, rows.length, "six training-set sizes");
        for (double[] p : rows) {
            assertTrue(p[1] >= 2 && p[1] < p[0] * p[0] / 100, "a width found, far below n^2: " + p[1]);
            assertTrue(p[5] <= 0.05 + 1e-9, "the runs at the width found reached the target: " + p[5]);
            assertTrue(p[4] >= 0 && p[4] < 0.5, "test error " + p[4]);
            assertEquals(p[6] <= 0.1, p[3] == 1, "the margin flag follows eps_NTRF");
            assertTrue(p[8] > 2 * p[6], "the bound includes 2 eps_NTRF");
        }
        assertTrue(r.out().contains("m*(n) = ") && r.out().contains("ε_NTRF"), r.out());
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
