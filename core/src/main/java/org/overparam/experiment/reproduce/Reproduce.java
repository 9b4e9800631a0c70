package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.experiment.OutputFolder;

/**
 * {@code overparam reproduce}: the registry of the papers' figures and the run that regenerates them into
 * {@code DIR/ID/} (figures as SVG, PNG and PDF, the plotted numbers as CSV, a README.md with the paper's setup, its
 * finding and the comparison), and with {@code --all} a gallery page {@code DIR/gallery.md} of every figure.
 */
public final class Reproduce {
    private Reproduce() {
    }

    /** Every reproduction, in the order of the lecture. */
    public static final List<Reproduction> ALL = List.of(new DuFig1(), new AroraFig(), new LeeLinearization(),
            new SoudryRank(), new ZhangFig1(), new DeepWide(), new Constructions(), new LiuHessian(), new OymakPath(),
            new ChenNtrf(), new DuDepth(), new FiniteVsInfinite(), new KernelRegressionMnist());

    /** Where the MNIST IDX files are, for the figures on MNIST. */
    public static void mnist(Path dir) {
        AroraFig.mnist = dir;
    }

    public static Reproduction byId(String id) {
        return ALL.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new InputError(
                "unknown figure '" + id + "'; run 'overparam reproduce' for the list: " + String.join(", ",
                        ALL.stream().map(Reproduction::id).toList())));
    }

    /** What one reproduction wrote, and how long it took. */
    public record Done(Reproduction what, Reproduction.Outcome outcome, Path dir, double seconds) {
    }

    /** Runs {@code which} into {@code out/ID/} each; with more than one, writes {@code out/gallery.md}. */
    public static List<Done> run(List<Reproduction> which, Path out, boolean quick, int threads, Consumer<String> log) {
        if (which.size() == 1 && which.get(0).missingData() != null) {
            throw new InputError(which.get(0).missingData());
        }
        OutputFolder.claimWorkingFolder(out, "reproduce");
        List<Done> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Reproduction r : which) {
            if (r.missingData() != null) {
                // --all on a machine without a data set: the others still run, and the gallery says what is missing
                log.accept(r.id() + ": skipped: " + r.missingData());
                skipped.add(r.id() + ": " + r.missingData());
                continue;
            }
            Path dir = out.resolve(r.id());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new InputError("cannot create " + dir + " (" + e.getMessage() + ")");
            }
            long t0 = System.nanoTime();
            log.accept("figure " + (done.size() + skipped.size() + 1) + "/" + which.size() + ": " + r.id());
            Reproduction.Outcome o = r.run(dir, quick, threads, log);
            Done d = new Done(r, o, dir, (System.nanoTime() - t0) / 1e9);
            writePage(d, quick, dir.resolve("README.md"), "");
            done.add(d);
        }
        if (which.size() > 1) {
            StringBuilder g = new StringBuilder("# Gallery: the papers' figures from overparam's runs\n\n");
            g.append("Made by `overparam reproduce --all").append(quick ? " --quick" : "").append("`; under each figure its SVG "
                    + "and PDF, after the figures its numbers as CSV; the training runs are in the ID/runs folders.\n\n");
            for (Done d : done) {
                g.append(page(d, quick, d.what().id() + "/"));
            }
            for (String sk : skipped) {
                g.append("Skipped ").append(sk).append(".\n\n");
            }
            write(out.resolve("gallery.md"), g.toString());
        }
        return done;
    }

    private static void writePage(Done d, boolean quick, Path file, String prefix) {
        write(file, page(d, quick, prefix));
    }

    /** A reproduction's page: the paper, its finding, the setup, what was found, the figures and the numbers. */
    static String page(Done d, boolean quick, String prefix) {
        Reproduction r = d.what();
        StringBuilder b = new StringBuilder();
        b.append("## ").append(r.id()).append(": ").append(r.paper()).append("\n\n");
        b.append("**The paper reports.** ").append(r.finding()).append("\n\n");
        b.append("**Here** (").append(quick ? "`--quick`" : "full").append(String.format(Locale.ROOT, ", %.0f s). ",
                d.seconds())).append(d.outcome().comparison()).append("\n\n");
        b.append("**Setup.** ").append(r.setup(quick)).append("\n\n");
        for (String f : d.outcome().figures()) {
            b.append("![").append(f).append("](").append(prefix).append(f).append(".png)\n");
            b.append("[SVG](").append(prefix).append(f).append(".svg) · [PDF](").append(prefix).append(f)
                    .append(".pdf)\n\n");
        }
        b.append("Numbers: ");
        List<String> links = new ArrayList<>();
        for (String c : d.outcome().csv()) {
            links.add("[" + c + "](" + prefix + c + ")");
        }
        b.append(String.join(", ", links)).append(".\n\n");
        return b.toString();
    }

    private static void write(Path file, String text) {
        org.overparam.io.AtomicFile.write(file, tmp -> Files.writeString(tmp, text));
    }
}
