package org.overparam.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.overparam.nn.Network;
import org.overparam.train.DivergenceException;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;

/**
 * Check 1 — PL implies a linear rate for gradient descent.
 *
 * <p>Paper: Karimi, Nutini &amp; Schmidt, <i>Linear convergence of gradient and proximal-gradient methods under
 * the Polyak–Łojasiewicz condition</i>, ECML-PKDD 2016, Theorem 1: if L is β-smooth (∇L β-Lipschitz), has a
 * minimum value L* and satisfies ½‖∇L(w)‖² ≥ μ(L(w) − L*), then GD with step 1/β gives
 * L(w_k) − L* ≤ (1 − μ/β)^k (L(w_0) − L*). For a step η ≤ 1/β the same proof (descent lemma
 * L(w − η∇L) ≤ L(w) − η(1 − ηβ/2)‖∇L‖²) gives the factor ρ = 1 − 2ημ(1 − ηβ/2), which is 1 − μ/β at η = 1/β.
 * The lecture writes PL without the ½ (‖∇L‖² ≥ μ(L − L*)) and quotes the same rate 1 − μ/β; that is off by
 * a factor 2: with its definition the rate is 1 − μ/(2β).
 *
 * <p>Measured on a GD run (on a copy of the setup's net, every step recorded): μ̂ = min_k ½‖∇L(w_k)‖²/(L(w_k) − L*)
 * ({@link PlAlongPath}, points within max(1e-12·(L(w_0) − L*), 1e-8·|L*|) of L* skipped) and β̂ = max of the Hessian's largest
 * eigenvalue ({@link Smoothness}) at w_0 and at a few iterates. Bound: L(w_k) − L* ≤ ρ^k (L(w_0) − L*) for
 * all k, with a rounding slack of 1e-12·max(L(w_0), |L*|) and a relative 1e-9.
 *
 * <p>Hypothesis: η ≤ 1/β̂, μ̂ &gt; 0, and L* is a lower bound (L* = 0 is an assumption, right for interpolating
 * models under mse; otherwise pass it). η &gt; 1/β̂ is {@code hypothesis not met}. Because μ̂ and β̂ are only
 * sampled along the path (the theorem needs the PL infimum and the curvature bound over the region the
 * iterates and the segments between them visit), the proof's step-wise inequality holds with the sampled μ̂
 * at every recorded iterate, and a miss can only come from curvature above β̂ between samples: a miss is
 * {@code inconclusive}, never {@code violated}.
 */
public final class PlImpliesLinearRate implements TheoremCheck {
    private final double lr;
    private final long steps;
    private final double lStar;
    private final boolean lStarGiven;
    private final int smoothnessSamples;

    /**
     * @param lr                the GD step η, or NaN for η = 1/β̂(w_0)
     * @param steps             number of GD steps T
     * @param lStar             the optimal value L*, or NaN to assume L* = 0 (interpolation)
     * @param smoothnessSamples how many iterates (evenly spaced in 0..T, ≥ 1, w_0 always) to estimate β̂ at
     */
    public PlImpliesLinearRate(double lr, long steps, double lStar, int smoothnessSamples) {
        if (steps < 1 || smoothnessSamples < 1) {
            throw new IllegalArgumentException("need steps >= 1 and smoothnessSamples >= 1");
        }
        this.lr = lr;
        this.steps = steps;
        this.lStarGiven = !Double.isNaN(lStar);
        this.lStar = lStarGiven ? lStar : 0.0;
        this.smoothnessSamples = smoothnessSamples;
    }

    /** η = 1/β̂(w_0), L* = 0 assumed, β̂ sampled at 5 iterates. */
    public static PlImpliesLinearRate atInverseSmoothness(long steps) {
        return new PlImpliesLinearRate(Double.NaN, steps, Double.NaN, 5);
    }

    @Override
    public java.util.Map<String, Object> parameters() {
        return TheoremCheck.p("lr", Double.isNaN(lr) ? "1/beta_hat(w_0)" : lr, "steps", steps, "l_star", lStarGiven ? lStar : "0 (assumed)", "smoothness_samples", smoothnessSamples);
    }

    @Override
    public String id() {
        return "pl-linear-rate";
    }

    @Override
    public String formula() {
        return "L(w_k) - L^* <= (1 - 2 eta mu (1 - eta beta/2))^k (L(w_0) - L^*)";
    }

    @Override
    public String claim() {
        return "if L is beta-smooth and (1/2)||grad L||^2 >= mu (L - L*), GD with step eta <= 1/beta has "
                + "L(w_k) - L* <= (1 - 2 eta mu (1 - eta beta/2))^k (L(w_0) - L*), i.e. (1 - mu/beta)^k at eta = 1/beta. "
                + "The lecture writes PL without the 1/2 and the same rate 1 - mu/beta: off by a factor 2, with its "
                + "definition the rate is 1 - mu/(2 beta)";
    }

    @Override
    public String paper() {
        return "Karimi, Nutini & Schmidt (2016), Linear convergence of gradient and proximal-gradient methods under "
                + "the Polyak-Lojasiewicz condition, ECML-PKDD, Theorem 1 (PL inequality (2): "
                + "(1/2)||grad f||^2 >= mu (f - f*))";
    }

    @Override
    public boolean generalNetworks() {
        return true;
    }

    @Override
    public CheckResult run(Setup s) {
        Map<String, Double> m = new LinkedHashMap<>();
        try (org.overparam.nn.Model net = s.net().copy()) {
            Smoothness.Estimate b0 = Smoothness.largestEigenvalue(net, s.x(), s.y(), s.loss());
            double eta = Double.isNaN(lr) ? 1.0 / b0.beta() : lr;
            TreeSet<Long> sampleAt = new TreeSet<>();
            for (int i = 1; i < smoothnessSamples; i++) {
                sampleAt.add(Math.round((double) i * steps / (smoothnessSamples - 1)));
            }
            List<Smoothness.Estimate> betas = new ArrayList<>(List.of(b0));
            PlAlongPath path = new PlAlongPath(lStar, 1e-12);
            TrainObserver sampler = (StepRecord r, org.overparam.nn.Model current) -> {
                // after step k's update the net holds w_{k+1} (w_T at the final record): still an iterate
                if (sampleAt.contains(r.step())) {
                    betas.add(Smoothness.largestEigenvalue(current, s.x(), s.y(), s.loss()));
                }
            };
            boolean diverged = false;
            try {
                new Trainer(net, s.x(), s.y(), TrainSpec.gd(s.loss(), eta, steps, 0)).observe(path).observe(sampler)
                        .run();
            } catch (DivergenceException e) {
                diverged = true;
            }
            double beta = Double.NEGATIVE_INFINITY;
            double betaResidual = 0;
            for (Smoothness.Estimate e : betas) {
                beta = Math.max(beta, e.beta());
                betaResidual = Math.max(betaResidual, e.residual());
            }
            double mu = path.karimiMu();
            List<Double> losses = path.losses();
            double[] gaps = new double[losses.size()];
            for (int k = 0; k < gaps.length; k++) {
                gaps[k] = losses.get(k) - lStar;
            }
            double slack = 1e-12 * Math.max(Math.abs(losses.get(0)), Math.abs(lStar));
            double minGap = Double.POSITIVE_INFINITY;
            for (double g : gaps) {
                minGap = Math.min(minGap, g);
            }
            m.put("eta", eta);
            m.put("beta_hat", beta);
            m.put("beta_hat_w0", b0.beta());
            m.put("beta_residual", betaResidual);
            m.put("beta_samples", (double) betas.size());
            m.put("eta_times_beta_hat", eta * beta);
            m.put("mu_hat", mu);
            m.put("mu_hat_step", (double) path.argminStep());
            m.put("L_star", lStar);
            m.put("loss_0", losses.get(0));
            m.put("loss_T", losses.get(losses.size() - 1));
            m.put("steps_run", (double) (losses.size() - 1));
            m.put("diverged", diverged ? 1.0 : 0.0);
            String lStarText = lStarGiven ? "L* = " + lStar + " (given)" : "L* = 0 (assumed: interpolating model)";
            boolean etaOk = eta * beta <= 1 + 1e-9;
            boolean lStarOk = minGap >= -slack;
            boolean muOk = mu > 0 && Double.isFinite(mu);
            CheckResult.Hypothesis hyp = new CheckResult.Hypothesis(String.format(
                    "eta <= 1/beta_hat (eta*beta_hat = %.6g), mu_hat > 0, %s is a lower bound of L on the path",
                    eta * beta, lStarText), etaOk && lStarOk && muOk);
            if (!hyp.met()) {
                String why = !etaOk ? String.format("step eta = %.6g exceeds 1/beta_hat = %.6g", eta, 1 / beta)
                        : !lStarOk ? String.format("L - L* reached %.6g < 0: L* is not the minimum value", minGap)
                        : "mu_hat = " + mu + ": no positive PL ratio was measured";
                return new CheckResult(id(), claim(), paper(), hyp, m,
                        new CheckResult.Bound("(1 - 2 eta mu (1 - eta beta/2))^k (L(w_0) - L*)", Double.NaN),
                        Conclusion.UNDECIDED, why);
            }
            Rate rate = rateCheck(gaps, eta, mu, beta, slack);
            m.put("rate", rate.rho());
            m.put("predicted_gap_T", Math.pow(rate.rho(), gaps.length - 1) * gaps[0]);
            m.put("observed_gap_T", gaps[gaps.length - 1]);
            m.put("worst_observed_over_predicted", rate.worstRatio());
            m.put("first_miss_step", (double) rate.firstMiss());
            CheckResult.Bound bound = new CheckResult.Bound(String.format(
                    "L(w_k) - L* <= rho^k (L(w_0) - L*), rho = 1 - 2 eta mu_hat (1 - eta beta_hat/2) = %.6g "
                            + "(1 - mu/beta = %.6g); value at k = T", rate.rho(), 1 - mu / beta),
                    Math.pow(rate.rho(), gaps.length - 1) * gaps[0]);
            if (rate.firstMiss() < 0 && !diverged) {
                return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.OBSERVED, String.format(
                        "L - L* stayed below rho^k (L_0 - L*) for all %d steps (worst observed/predicted %.4g); "
                                + "mu_hat, beta_hat sampled along the path",
                        gaps.length - 1, rate.worstRatio()));
            }
            // mu_hat and beta_hat are sampled along the path, not bounded over a region: a miss cannot decide
            return new CheckResult(id(), claim(), paper(), hyp, m, bound, Conclusion.UNDECIDED, diverged
                    ? "the run diverged although eta <= 1/beta_hat: curvature between the sampled iterates exceeds beta_hat"
                    : String.format("L - L* exceeded rho^k (L_0 - L*) first at step %d; mu_hat and beta_hat are only "
                            + "sampled along the path, so beta over the segments may be larger", rate.firstMiss()));
        }
    }

    /**
     * The rate factor ρ and the comparison of gaps g_k = L(w_k) − L* with ρ^k·g_0.
     *
     * @param worstRatio max_k g_k / (ρ^k g_0) over k where ρ^k g_0 exceeds the slack
     * @param firstMiss  first k with g_k &gt; ρ^k g_0 (1 + 1e-9) + slack, or −1
     */
    record Rate(double rho, double worstRatio, long firstMiss) {
    }

    static Rate rateCheck(double[] gaps, double eta, double mu, double beta, double slack) {
        double rho = 1 - 2 * eta * mu * (1 - eta * beta / 2);
        double worst = 0;
        long miss = -1;
        double pred = gaps[0];
        for (int k = 0; k < gaps.length; k++) {
            if (pred > slack) {
                worst = Math.max(worst, gaps[k] / pred);
            }
            if (miss < 0 && gaps[k] > pred * (1 + 1e-9) + slack) {
                miss = k;
            }
            pred *= rho;
        }
        return new Rate(rho, worst, miss);
    }

    /** L(w_k) − L* of GD at the check's step, with the PL rate's bound drawn over it (a bound, named so). */
    @Override
    public java.util.List<Figure> figures(CheckResult r, Setup s) {
        if (!r.measured().containsKey("rate") || !r.hypothesis().met()) {
            return java.util.List.of();
        }
        double lStar = r.get("L_star");
        double rho = r.get("rate");
        double[][] kl = Figure.gdLoss(s, r.get("eta"), (long) r.get("steps_run"));
        double[] gap = new double[kl[0].length];
        double[] bound = new double[gap.length];
        for (int i = 0; i < gap.length; i++) {
            gap[i] = kl[1][i] - lStar;
        }
        for (int i = 0; i < gap.length; i++) {
            bound[i] = Math.pow(rho, i) * gap[0];
        }
        return java.util.List.of(Figure.builder("L(w_k) - L* and the PL rate", "step k", "L(w_k) - L*").logY()
                .series("GD at eta = 1/beta_hat", kl[0], gap)
                .bound("bound (1 - 2 eta mu (1 - eta beta / 2))^k (L0 - L*)", kl[0], bound).build());
    }

    /** This check measuring the user's run: its step, length and seed ({@code certify} on a user's setup). */
    public static TheoremCheck forRun(CheckSettings s) {
        return new PlImpliesLinearRate(s.lr(), s.steps(), Double.NaN, 5);
    }

    /** This check with its built-in parameters, for presets that do not bring their own ({@code certify --all}). */
    public static TheoremCheck presetDefault() {
        return atInverseSmoothness(200);
    }

    /** The built-in setups of {@code certify --all}: where the hypothesis holds and, where one exists, where it fails. */
    public static java.util.List<Preset> presets() {
        return java.util.List.of(new Preset("interpolating least squares (linear model, n=4, d=8)", () -> PresetSetups.linearLeastSquares(4, 8, 1)),
                new Preset("two-layer tanh net, n=6, d=3, width 64 (step 1/beta_hat at w0; beta_hat grows along "
                        + "the path, so the hypothesis is expected to fail)", () -> PresetSetups.smallNet("tanh", 6, 3, 64, 2)));
    }
}
