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
 * depend on it). A bound is drawn as a bound: its series name says so.
 */
public record Figure(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
        List<Reference> references) {

    public Figure {
        series = List.copyOf(series);
        references = List.copyOf(references);
    }

    /**
     * One named curve. {@code lowerBoundsOf}: null for a curve; else the name of the measured series these points
     * belong to, which are lower bounds, not measurements (a run that did not fit within its budget or at its largest
     * width needs more than the value drawn): drawn as up triangles in that series' colour, never joined.
     */
    public record Series(String name, double[] x, double[] y, String lowerBoundsOf) {
        public boolean atLeast() {
            return lowerBoundsOf != null;
        }
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
            series.add(new Series(name, x, y, null));
            return this;
        }

        /** Lower bounds of the series {@code of} at these x (NaN where there is none): what was needed exceeds y. */
        public Builder atLeast(String of, String name, double[] x, double[] y) {
            series.add(new Series(name, x, y, of));
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
