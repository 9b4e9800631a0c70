package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.experiment.DataLoader;
import org.overparam.experiment.LoadedData;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.TrainRun;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;

/**
 * Oymak &amp; Soltanolkotabi, ICML 2019 (arXiv:1812.10004), Theorem 2.1 and Figure 1: for nonlinear least squares
 * ½‖f(θ) − y‖² whose Jacobian has α ≤ σmin(J(θ)) ≤ ‖J(θ)‖ ≤ β (and is L-Lipschitz, L small enough) on the ball
 * B(θ_0, R), R = 4‖f(θ_0) − y‖/α, GD with a step η ≤ 1/(2β²) converges geometrically and every iterate obeys
 * (α/4)‖θ_τ − θ_0‖ + ‖f(θ_τ) − y‖ ≤ ‖f(θ_0) − y‖ — a misfit-against-distance trade-off that keeps the iterates in
 * B(θ_0, R) (their Figure 1's upper line). Measured: the GD path of a shallow net, misfit ‖f(θ_k) − y‖ against
 * distance ‖θ_k − θ_0‖ ({@code train}'s distance_from_init), with α = √λmin(J Jᵀ) at θ_0 and the step set from β.
 *
 * <p>Source caveat: the stored copies of the paper reachable from this project's search return only the abstract
 * and Figure 1's caption (which names the upper bound "(2.9)" and a lower bound "Theorem 2.3"); the theorem's
 * statement and its constants (the 4 in R and in α/4, the 1/(2β²)) are as the author of this class knows them from
 * arXiv v1, NOT verified against the stored text.
 */
final class OymakPath implements Reproduction {
    private record Size(int n, int d, List<Integer> widths, long steps, int recordEvery) {
    }

    private static final Size QUICK = new Size(30, 10, List.of(64, 256, 1024), 600, 5);
    private static final Size FULL = new Size(60, 10, List.of(64, 256, 1024, 4096), 2000, 10);

    /** The hidden layer's activation: ReLU's tangent kernel is far better conditioned here than tanh's or gelu's. */
    static final String ACTIVATION = "relu";

    /** The factor in the potential inequality (α/4)‖θ − θ_0‖ + ‖f(θ) − y‖ ≤ ‖f(θ_0) − y‖. */
    static final double FOUR = 4;

    @Override
    public String id() {
        return "oymak2019";
    }

    @Override
    public String paper() {
        return "Oymak & Soltanolkotabi (2019), Overparameterized nonlinear learning: gradient descent takes the "
                + "shortest path?, ICML, Theorem 2.1 and Figure 1";
    }

    @Override
    public String finding() {
        return "If the Jacobian's smallest singular value is at least α near the start, GD converges geometrically and "
                + "trades misfit for distance: (α/4)‖θ_τ − θ_0‖ + ‖f(θ_τ) − y‖ ≤ ‖f(θ_0) − y‖ at every iterate, so "
                + "it never leaves the ball of radius 4‖f(θ_0) − y‖/α and ends near the closest global minimum; for "
                + "wide nets that radius is tiny relative to ‖θ_0‖.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "n = %d points uniform on S^%d, N(0, 1) labels; one hidden %s layer of "
                + "width m = %s, ntk parameterization (σ_w = 1, σ_b = 0.1), every layer trained, seed 0; full-batch GD "
                + "on our mse (1/(2n))Σ(f − y)² with η = n/(2β²), i.e. their step η/n = 1/(2β²) on ½‖f − y‖², %d "
                + "steps, misfit ‖f − y‖ = √(2n·mse) and ‖θ_k − θ_0‖ every %d steps; α² = λmin and β² = λmax of "
                + "J Jᵀ at θ_0 (empirical NTK over all parameters); σmin(J) along the path from train --track kernel. "
                + "ReLU's Jacobian is not Lipschitz, so Theorem 2.1's smoothness hypothesis holds only approximately "
                + "(tanh and gelu gave α 3-10 times smaller on these points); L is not measured",
                s.n(), s.d() - 1, ACTIVATION, s.widths(), s.steps(), s.recordEvery());
    }

    @Override
    public String fullTime() {
        return "about 3.5 min on 2 cores (measured while shared with other runs)";
    }

    /** What one width gave: the path and the constants at θ_0. */
    record Trajectory(int width, double[] distance, double[] misfit, double alpha, double beta, double r0, double theta0,
            double lr, double sigmaMinRatio) {
        /** The radius of the theorem's ball, 4‖f(θ_0) − y‖/α. */
        double radius() {
            return FOUR * r0 / alpha;
        }

        /**
         * The largest (α/4)‖θ_k − θ_0‖ + ‖f(θ_k) − y‖ over the recorded steps after the first, relative to
         * ‖f(θ_0) − y‖ (≤ 1 under the bound; at k = 0 it is 1).
         */
        double potential() {
            double worst = 0;
            for (int i = 1; i < distance.length; i++) {
                worst = Math.max(worst, (alpha / FOUR * distance[i] + misfit[i]) / r0);
            }
            return worst;
        }

        double finalDistance() {
            return distance[distance.length - 1];
        }
    }

    @Override
    public Outcome run(java.nio.file.Path dir, boolean quick, int threads, Consumer<String> log) {
        Size s = size(quick);
        List<Trajectory> paths = new ArrayList<>();
        for (int m : s.widths()) {
            log.accept(id() + ": width " + m);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("dataset", "sphere:n=" + s.n() + ",d=" + s.d() + ",seed=1");
            c.put("parameterization", "ntk");
            c.put("activation", ACTIVATION);
            c.put("sigma_b", 0.1);
            c.put("hidden", Integer.toString(m));
            c.put("steps", s.steps());
            c.put("record_every", s.recordEvery());
            c.put("track", "kernel");
            java.nio.file.Path folder = dir.resolve("runs").resolve("m" + m);
            double[] at0 = atInit(Runs.config(c, folder, threads), threads); // α, β, ‖r_0‖, ‖θ_0‖
            double lr = s.n() / (2 * at0[1] * at0[1]);
            c.put("lr", lr);
            Runs.Run run = Runs.train(c, folder, threads);
            List<double[]> pts = new ArrayList<>();
            for (Map<String, Object> r : run.rows()) {
                if (r.get("distance_from_init") instanceof Number dist && r.get("loss") instanceof Number loss) {
                    pts.add(new double[] {dist.doubleValue(), Math.sqrt(2 * s.n() * loss.doubleValue())});
                }
            }
            double[][] lambda = run.series("kernel_lambda_min");
            double minLambda = java.util.Arrays.stream(lambda[1]).min().orElse(Double.NaN);
            paths.add(new Trajectory(m, pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(), at0[0], at0[1], at0[2], at0[3], lr,
                    Math.sqrt(minLambda) / at0[0]));
        }
        String fixed = String.format(Locale.ROOT, "%s, n=%d, d=%d, T=%d, η=n/(2β²)", ACTIVATION, s.n(), s.d(),
                s.steps());
        try {
            PaperChart path = PaperChart.of("Misfit against distance along GD, " + fixed,
                    "α·||θ_k − θ_0|| / ||f(θ_0) − y||  (distance in units of ||r_0||/α)",
                    "||f(θ_k) − y|| / ||f(θ_0) − y||");
            List<double[]> cols = new ArrayList<>();
            List<String> header = new ArrayList<>();
            for (Trajectory p : paths) {
                double[] x = java.util.Arrays.stream(p.distance()).map(v -> v * p.alpha() / p.r0()).toArray();
                double[] y = java.util.Arrays.stream(p.misfit()).map(v -> v / p.r0()).toArray();
                path.add("m = " + p.width(), x, y, PaperChart.Kind.CURVE);
            }
            path.add("bound of Thm 2.1", new double[] {0, FOUR}, new double[] {1, 0},
                    PaperChart.Kind.BOUND);
            path.write(dir.resolve("oymak2019-misfit-distance"));
            double[] widths = paths.stream().mapToDouble(Trajectory::width).toArray();
            double[] relative = paths.stream().mapToDouble(p -> p.finalDistance() / p.theta0()).toArray();
            double[] relBound = paths.stream().mapToDouble(p -> p.radius() / p.theta0()).toArray();
            LogLogFit relFit = LogLogFit.of(widths, relative, 0.95);
            PaperChart.of("Distance travelled relative to the initialization, " + fixed, "width m",
                    "||θ_T − θ_0|| / ||θ_0||").logX().logY()
                    .add("measured at T", widths, relative, PaperChart.Kind.MEASURED)
                    .add("radius 4||r_0||/α of Thm 2.1, / ||θ_0|| (bound)", widths, relBound, PaperChart.Kind.BOUND)
                    .write(dir.resolve("oymak2019-distance-width"));
            // the paths, one step column and two per width (rows where every width recorded: same record steps)
            int rows = paths.stream().mapToInt(p -> p.distance().length).min().orElse(0);
            double[] step = new double[rows];
            for (int i = 0; i < rows; i++) {
                step[i] = (double) i * s.recordEvery();
            }
            header.add("step");
            cols.add(step);
            for (Trajectory p : paths) {
                header.add("distance_m" + p.width());
                header.add("misfit_m" + p.width());
                cols.add(java.util.Arrays.copyOf(p.distance(), rows));
                cols.add(java.util.Arrays.copyOf(p.misfit(), rows));
            }
            Runs.csv(dir.resolve("oymak2019-paths.csv"), header, cols);
            Runs.csv(dir.resolve("oymak2019-width.csv"), List.of("width", "alpha", "beta", "misfit0", "theta0_norm",
                    "lr", "final_distance", "radius_bound", "final_misfit", "max_potential_over_misfit0",
                    "sigma_min_path_over_alpha"), List.of(widths, col(paths, Trajectory::alpha), col(paths, Trajectory::beta),
                    col(paths, Trajectory::r0), col(paths, Trajectory::theta0), col(paths, Trajectory::lr),
                    col(paths, Trajectory::finalDistance), col(paths, Trajectory::radius),
                    col(paths, p -> p.misfit()[p.misfit().length - 1]), col(paths, Trajectory::potential),
                    col(paths, Trajectory::sigmaMinRatio)));
            return new Outcome(List.of("oymak2019-misfit-distance", "oymak2019-distance-width"),
                    List.of("oymak2019-paths.csv", "oymak2019-width.csv"), comparison(paths, relFit, s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] col(List<Trajectory> paths, java.util.function.ToDoubleFunction<Trajectory> f) {
        return paths.stream().mapToDouble(f).toArray();
    }

    /** α = √λmin(J Jᵀ), β = √λmax(J Jᵀ), ‖f(θ_0) − y‖ and ‖θ_0‖ for the run's own initial network and data. */
    private static double[] atInit(RunConfig rc, int threads) {
        int blas = Blas.threads();
        int pool = Parallel.threads();
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        LoadedData data = DataLoader.load(rc);
        try (org.overparam.nn.Model net = TrainRun.buildNetwork(rc, data).net();
                Matrix g = EmpiricalNtk.compute(net, data.x(), null, OutputMode.FULL); Matrix f = net.predict(data.x())) {
            double[] ev = Lapack.symmetricEigenvalues(g);
            double r = 0;
            for (long i = 0; i < f.size(); i++) {
                double e = f.at(i) - data.y().at(i);
                r += e * e;
            }
            return new double[] {Math.sqrt(ev[0]), Math.sqrt(ev[ev.length - 1]), Math.sqrt(r),
                net.parameters().frobenius()};
        } finally {
            for (Matrix mm : new Matrix[] {data.x(), data.y(), data.testX(), data.testY()}) {
                if (mm != null) {
                    mm.close();
                }
            }
            Blas.setThreads(blas);
            Parallel.setThreads(pool);
        }
    }

    /** The comparison: inside the ball (the potential stays ≤ 1), the misfit falls, the distance relative to ‖θ_0‖. */
    static String comparison(List<Trajectory> paths, LogLogFit relFit, Size s) {
        StringBuilder b = new StringBuilder();
        boolean inside = true;
        boolean falls = true;
        for (Trajectory p : paths) {
            double[] r = p.misfit();
            falls &= r[r.length - 1] < r[0];
            inside &= p.potential() <= 1 + 1e-9;
            b.append(String.format(Locale.ROOT, "m = %d: α = %.3g, misfit %.3g → %.3g, ||θ_T − θ_0|| = %.3g against "
                    + "the radius 4||r_0||/α = %.3g (%.0f%% of it), largest (α/4)·dist + misfit after step 0 = %.3f·||r_0||, "
                    + "||θ_T − θ_0||/||θ_0|| = %.2e, σmin(J) on the path ≥ %.2fα. ", p.width(), p.alpha(), r[0],
                    r[r.length - 1], p.finalDistance(), p.radius(), 100 * p.finalDistance() / p.radius(),
                    p.potential(), p.finalDistance() / p.theta0(), p.sigmaMinRatio()));
        }
        b.append("Relative distance against width: fitted slope ").append(Trend.slope(relFit)).append(". ");
        b.append(verdict(inside, falls, relFit));
        return b.toString();
    }

    /** As in the paper when every path stays under the trade-off line, the misfit falls, and the relative distance shrinks. */
    static String verdict(boolean inside, boolean falls, LogLogFit relative) {
        if (!inside || !falls) {
            return "Not as in the paper: " + (inside ? "" : "a path crosses the line (α/4)·dist + misfit = ||r_0|| "
                    + "(with α measured at θ_0 only); ") + (falls ? "" : "the misfit did not fall; ")
                    + "check the step size and the Jacobian's conditioning.";
        }
        String width = !Trend.hasInterval(relative) ? " " + Trend.TOO_FEW
                : Trend.shrinks(relative) ? " The distance relative to ||θ_0|| shrinks with width (slope's 95% interval "
                        + "below 0)." : " The distance relative to ||θ_0|| does not shrink significantly with width here.";
        return "As in the paper: every path stays under the trade-off line (α/4)·dist + misfit ≤ ||r_0||, inside the "
                + "ball of radius 4||r_0||/α, while the misfit falls." + width;
    }
}
