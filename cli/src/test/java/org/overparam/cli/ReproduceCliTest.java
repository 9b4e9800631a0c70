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
}
