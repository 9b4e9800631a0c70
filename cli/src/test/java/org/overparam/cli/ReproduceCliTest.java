package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** overparam reproduce: the list, a quick figure end to end, --all with a missing data set, bad input. */
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

    private static void assertFigures(Path dir, String... names) throws Exception {
        for (String f : names) {
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
}
