package org.overparam.theory;

import java.util.ArrayList;
import java.util.List;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.train.Loss;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * What a theorem check wants drawn beside its verdict: measured series and the theory's curve or reference lines,
 * as data. A check owns its figures ({@link TheoremCheck#figures}); the report layer renders them (theory does not
 * depend on it). Each series says what it is ({@link Style}), so a bound is drawn as a bound.
 */
public record Figure(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
        List<Reference> references) {

    public Figure {
        series = List.copyOf(series);
        references = List.copyOf(references);
    }

    /** What a series is, and so how it is drawn: a measurement is never drawn as a bound, nor a bound as one. */
    public enum Style {
        /** measured on this run */
        MEASURED,
        /** a theory's prediction of the measured quantity (a formula or a fitted trend) */
        PREDICTION,
        /** a theorem's upper bound on the measured quantity */
        BOUND,
        /** only an upper bound of each point is known (e.g. the width a theorem demands: the need is at most that) */
        AT_MOST,
        /** only a lower bound of each point is known (not fit within the budget or at the largest width tried) */
        AT_LEAST
    }

    /**
     * One named series. {@code colourOf}: null, or the name of the measured series whose colour it takes (the lower
     * bounds of a family drawn beside its measured points).
     */
    public record Series(String name, double[] x, double[] y, Style style, String colourOf) {
    }

    /** A horizontal line at {@code value}. */
    public record Reference(String name, double value) {
    }

    public static Builder builder(String title, String xLabel, String yLabel) {
        return new Builder(title, xLabel, yLabel);
    }

    /** Assembles a figure. */
    public static final class Builder {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private boolean logX;
        private boolean logY;
        private final List<Series> series = new ArrayList<>();
        private final List<Reference> references = new ArrayList<>();

        private Builder(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        public Builder logX() {
            logX = true;
            return this;
        }

        public Builder logY() {
            logY = true;
            return this;
        }

        public Builder series(String name, double[] x, double[] y) {
            return add(Style.MEASURED, name, x, y, null);
        }

        public Builder prediction(String name, double[] x, double[] y) {
            return add(Style.PREDICTION, name, x, y, null);
        }

        public Builder bound(String name, double[] x, double[] y) {
            return add(Style.BOUND, name, x, y, null);
        }

        public Builder atMost(String name, double[] x, double[] y) {
            return add(Style.AT_MOST, name, x, y, null);
        }

        /** Lower bounds of the series {@code of} at these x (NaN where there is none): what was needed exceeds y. */
        public Builder atLeast(String of, String name, double[] x, double[] y) {
            return add(Style.AT_LEAST, name, x, y, of);
        }

        private Builder add(Style style, String name, double[] x, double[] y, String colourOf) {
            series.add(new Series(name, x, y, style, colourOf));
            return this;
        }

        public Builder reference(String name, double value) {
            references.add(new Reference(name, value));
            return this;
        }

        public Figure build() {
            return new Figure(title, xLabel, yLabel, logX, logY, series, references);
        }
    }

    /** The loss of full-batch GD with step eta on a copy of the setup's network: {steps k, L(w_k)}, k = 0..steps. */
    static double[][] gdLoss(Setup s, double eta, long steps) {
        double[] k = new double[(int) steps + 1];
        double[] loss = new double[k.length];
        try (org.overparam.nn.Model net = s.net().copy()) {
            new Trainer(net, s.x(), s.y(), TrainSpec.gd(s.loss(), eta, steps, 0)).observe((rec, nn) -> {
                k[(int) rec.step()] = rec.step();
                loss[(int) rec.step()] = rec.loss();
            }).run();
        }
        return new double[][] {k, loss};
    }

    /** The eigenvalues of J Jᵀ at w0 in decreasing order (mse setups; none otherwise). */
    static List<Figure> ntkSpectrum(Setup s) {
        if (s.loss() != Loss.MSE) {
            return List.of();
        }
        try (Matrix g = EmpiricalNtk.compute(s.net(), s.x(), s.trainedLayers(), OutputMode.FULL)) {
            double[] ev = Lapack.symmetricEigenvalues(g);
            double[] idx = new double[ev.length];
            double[] desc = new double[ev.length];
            for (int i = 0; i < ev.length; i++) {
                idx[i] = i + 1;
                desc[i] = ev[ev.length - 1 - i];
            }
            return List.of(builder("Spectrum of J J^T at w0", "index", "eigenvalue").logY()
                    .series("lambda_i(J J^T)", idx, desc).build());
        }
    }
}
