package org.overparam.train;

import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.OutputCurvature;

/**
 * A training loss L(h, y) over a batch of n rows, with its gradient and Hessian in the outputs h.
 * Normalizations (stated in --help and the README, pinned by tests):
 * <ul>
 * <li>{@code mse}: L = (1/(2n))·Σ_i ‖h(x_i) − y_i‖² — the convention of Du et al. 2019 and of the PL
 * argument (so ∇L = Jᵀ(h − y)/n); it is neither PyTorch's MSELoss (mean over n·k, no ½) nor
 * neural-tangents' 1/(2nk).</li>
 * <li>{@code logistic}: L = (1/n)·Σ_i log(1 + e^{−y_i h_i}), labels ±1, one output.</li>
 * <li>{@code hinge}: L = (1/n)·Σ_i max(0, 1 − y_i h_i), labels ±1, one output (Hessian 0 a.e.).</li>
 * <li>{@code cross_entropy}: L = (1/n)·Σ_i (logsumexp(h_i) − h_{i,y_i}), integer labels 0..k−1.</li>
 * </ul>
 */
public enum Loss {
    MSE("mse"), LOGISTIC("logistic"), HINGE("hinge"), CROSS_ENTROPY("cross_entropy");

    private final String cliName;

    Loss(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Loss parse(String s) {
        for (Loss l : values()) {
            if (l.cliName.equalsIgnoreCase(s.trim()) || l.name().equalsIgnoreCase(s.trim())) {
                return l;
            }
        }
        throw new InputError("unknown loss '" + s + "'; use mse, logistic, hinge or cross_entropy");
    }

    /** The loss value. */
    public double value(Matrix out, Matrix y) {
        return evaluate(out, y, null);
    }

    /** Writes ∂L/∂h into grad (n × k) and returns L. */
    public double gradient(Matrix out, Matrix y, Matrix grad) {
        return evaluate(out, y, grad);
    }

    private double evaluate(Matrix out, Matrix y, Matrix grad) {
        int n = out.rows();
        int k = out.cols();
        double inv = 1.0 / n;
        double total = 0;
        var o = out.buffer();
        var t = y.buffer();
        var g = grad == null ? null : grad.buffer();
        switch (this) {
            case MSE -> {
                for (int i = 0, size = n * k; i < size; i++) {
                    double r = o.get(i) - t.get(i);
                    total += r * r;
                    if (g != null) {
                        g.put(i, r * inv);
                    }
                }
                return 0.5 * total * inv;
            }
            case LOGISTIC -> {
                for (int i = 0; i < n; i++) {
                    double m = t.get(i) * o.get(i);
                    total += softplus(-m);
                    if (g != null) {
                        g.put(i, -t.get(i) * sigmoid(-m) * inv);
                    }
                }
                return total * inv;
            }
            case HINGE -> {
                for (int i = 0; i < n; i++) {
                    double m = t.get(i) * o.get(i);
                    total += Math.max(0, 1 - m);
                    if (g != null) {
                        g.put(i, m < 1 ? -t.get(i) * inv : 0.0);
                    }
                }
                return total * inv;
            }
            case CROSS_ENTROPY -> {
                for (int i = 0; i < n; i++) {
                    int label = (int) t.get(i);
                    double max = Double.NEGATIVE_INFINITY;
                    for (int a = 0; a < k; a++) {
                        max = Math.max(max, o.get(i * k + a));
                    }
                    double sum = 0;
                    for (int a = 0; a < k; a++) {
                        sum += Math.exp(o.get(i * k + a) - max);
                    }
                    double lse = max + Math.log(sum);
                    total += lse - o.get(i * k + label);
                    if (g != null) {
                        for (int a = 0; a < k; a++) {
                            double p = Math.exp(o.get(i * k + a) - lse);
                            g.put(i * k + a, (p - (a == label ? 1 : 0)) * inv);
                        }
                    }
                }
                return total * inv;
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Writes ∇²_h L · r into result (n × k). */
    public void hessianVector(Matrix out, Matrix y, Matrix r, Matrix result) {
        int n = out.rows();
        int k = out.cols();
        double inv = 1.0 / n;
        switch (this) {
            case MSE -> {
                for (long i = 0; i < out.size(); i++) {
                    result.setAt(i, r.at(i) * inv);
                }
            }
            case LOGISTIC -> {
                for (int i = 0; i < n; i++) {
                    double m = y.at(i) * out.at(i);
                    // d²/dh² log(1+e^{−yh}) = y²·σ(m)σ(−m) with y² = 1
                    result.setAt(i, sigmoid(m) * sigmoid(-m) * r.at(i) * inv);
                }
            }
            case HINGE -> result.fill(0.0);
            case CROSS_ENTROPY -> {
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int a = 0; a < k; a++) {
                        max = Math.max(max, out.get(i, a));
                    }
                    double sum = 0;
                    for (int a = 0; a < k; a++) {
                        sum += Math.exp(out.get(i, a) - max);
                    }
                    double pr = 0;
                    double[] p = new double[k];
                    for (int a = 0; a < k; a++) {
                        p[a] = Math.exp(out.get(i, a) - max) / sum;
                        pr += p[a] * r.get(i, a);
                    }
                    // (diag(p) − p pᵀ)·r
                    for (int a = 0; a < k; a++) {
                        result.set(i, a, (p[a] * r.get(i, a) - p[a] * pr) * inv);
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Fraction of correct predictions, or NaN where accuracy does not apply (mse with targets that are
     * neither ±1 scalars nor one-hot rows).
     */
    public double accuracy(Matrix out, Matrix y) {
        int n = out.rows();
        int k = out.cols();
        if (n == 0) {
            return Double.NaN;
        }
        int correct = 0;
        if (this == CROSS_ENTROPY) {
            for (int i = 0; i < n; i++) {
                correct += argmax(out, i) == (int) y.at(i) ? 1 : 0;
            }
        } else if (k == 1) {
            for (int i = 0; i < n; i++) {
                double t = y.at(i);
                if (this == MSE && t != 1.0 && t != -1.0) {
                    return Double.NaN;
                }
                correct += (out.at(i) >= 0 ? 1.0 : -1.0) == t ? 1 : 0;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int hot = -1;
                for (int a = 0; a < k; a++) {
                    double v = y.get(i, a);
                    if (v == 1.0 && hot < 0) {
                        hot = a;
                    } else if (v != 0.0) {
                        return Double.NaN;
                    }
                }
                correct += argmax(out, i) == hot ? 1 : 0;
            }
        }
        return correct / (double) n;
    }

    private static int argmax(Matrix out, int i) {
        int best = 0;
        for (int a = 1; a < out.cols(); a++) {
            if (out.get(i, a) > out.get(i, best)) {
                best = a;
            }
        }
        return best;
    }

    /**
     * The output dimension k this loss needs for labels y (n × c): c for mse, 1 for logistic/hinge,
     * max label + 1 (or {@code classes} when positive) for cross_entropy. Bad labels are an input error.
     */
    /** The most classes cross_entropy takes (a label of 2147483647 overflowed max + 1). */
    public static final int MAX_CLASSES = 1 << 20;

    public int outputDim(Matrix y, int classes) {
        switch (this) {
            case MSE:
                return y.cols();
            case LOGISTIC:
            case HINGE:
                if (y.cols() != 1) {
                    throw new InputError(cliName + " needs one label per sample (±1), got labels of shape " + y.shape());
                }
                for (long i = 0; i < y.size(); i++) {
                    if (y.at(i) != 1.0 && y.at(i) != -1.0) {
                        throw new InputError(cliName + " needs labels ±1, found " + y.at(i) + " at row " + i
                                + "; map your classes to ±1 or use --loss cross_entropy");
                    }
                }
                return 1;
            case CROSS_ENTROPY:
                if (y.cols() != 1) {
                    throw new InputError("cross_entropy needs integer class labels (one per sample), got shape "
                            + y.shape() + "; pass class indices, not one-hot rows");
                }
                int max = 0;
                for (long i = 0; i < y.size(); i++) {
                    double v = y.at(i);
                    if (v < 0 || v != Math.rint(v)) {
                        throw new InputError("cross_entropy labels must be integers 0..k-1, found " + v + " at row " + i);
                    }
                    if (v >= MAX_CLASSES) {
                        throw new InputError("cross_entropy label " + (long) v + " at row " + i + " means " + ((long) v + 1)
                                + " classes, more than the " + MAX_CLASSES + " supported; labels must be class indices "
                                + "0..k-1 (relabel them, e.g. with classes= in --dataset)");
                    }
                    max = Math.max(max, (int) v);
                }
                if (classes > 0 && max >= classes) {
                    throw new InputError("label " + max + " is out of range for --classes " + classes);
                }
                return classes > 0 ? classes : max + 1;
            default:
                throw new IllegalStateException();
        }
    }

    /** This loss bound to labels, seen from the outputs (for Hessian-vector products). */
    public OutputCurvature bind(Matrix y) {
        return new OutputCurvature() {
            @Override
            public double gradient(Matrix out, Matrix grad) {
                return Loss.this.gradient(out, y, grad);
            }

            @Override
            public void hessianVector(Matrix out, Matrix rOut, Matrix result) {
                Loss.this.hessianVector(out, y, rOut, result);
            }
        };
    }

    static double sigmoid(double z) {
        return org.overparam.nn.Activations.sigmoid(z);
    }

    static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
