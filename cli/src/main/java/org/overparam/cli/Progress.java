package org.overparam.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.overparam.nn.Network;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainSpec;

/**
 * Progress on standard error: a redrawn bar on a terminal, plain lines (about every 10 %) otherwise, so
 * logs stay readable and standard output stays free for --json.
 */
final class Progress implements TrainObserver {
    private final PrintWriter err;
    private final boolean terminal;
    private long total;
    private long lastDraw;
    private long nextLine;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onStart(org.overparam.nn.Model net, TrainSpec spec, long totalSteps) {
        total = Math.max(totalSteps, 1);
        err.printf(Locale.ROOT, "training %s: %d parameters (%d trained), %s, %s, lr %s, %d steps%n", net.describe(),
                net.parameterCount(), net.trainableCount(), spec.loss().cliName(), spec.optimizer().name().toLowerCase(
                        Locale.ROOT), spec.lr(), totalSteps);
        err.flush();
    }

    /** Elapsed time, steps per second and the time left at that rate: "3.2 s, 310 steps/s, ETA 12 s". */
    private String rate(StepRecord r) {
        double s = r.seconds();
        if (r.step() <= 0 || s <= 0) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        double perSecond = r.step() / s;
        return String.format(Locale.ROOT, "%s, %.3g steps/s, ETA %s", org.overparam.experiment.Eta.duration(s),
                perSecond, org.overparam.experiment.Eta.duration(Math.max(0, total - r.step()) / perSecond));
    }

    @Override
    public void onStep(StepRecord r, org.overparam.nn.Model net) {
        long now = System.nanoTime();
        boolean end = r.step() >= total;
        if (terminal) {
            if (end || now - lastDraw > 100_000_000L) {
                lastDraw = now;
                int width = 30;
                int filled = (int) (width * Math.min(1.0, r.step() / (double) total));
                err.printf(Locale.ROOT, "\r[%s%s] step %d/%d  loss %.6e  %s    ", "#".repeat(filled),
                        " ".repeat(width - filled), r.step(), total, r.loss(), rate(r));
                if (end) {
                    err.println();
                }
                err.flush();
            }
        } else if (end || r.step() >= nextLine) {
            nextLine = r.step() + Math.max(1, total / 10);
            err.printf(Locale.ROOT, "step %d/%d  loss %.6e  %s%n", r.step(), total, r.loss(), rate(r));
            err.flush();
        }
    }
}
