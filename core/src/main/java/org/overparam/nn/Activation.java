package org.overparam.nn;

import java.util.List;
import org.overparam.InputError;

/**
 * A pointwise nonlinearity σ with the first and second derivatives that backpropagation (σ') and the
 * R-operator Hessian-vector product (σ'') need. Conventions follow PyTorch where they differ at a kink:
 * relu'(0) = 0, leaky_relu'(0) = α, step(0) = 1. {@link #parse} reads the command-line spelling.
 */
public abstract class Activation {
    /** The names accepted by {@link #parse}, in --help order. */
    public static final List<String> NAMES = List.of("relu", "leaky_relu[:alpha]", "step", "linear", "softplus",
            "tanh", "erf", "sigmoid", "gelu");

    /** σ(z). */
    public abstract double value(double z);

    /** σ'(z). */
    public abstract double derivative(double z);

    /** σ'(z) given v = σ(z), for activations whose derivative is cheaper from the value (tanh: 1 − v²). */
    public double derivativeGivenValue(double z, double value) {
        return derivative(z);
    }

    /** σ''(z) (0 almost everywhere for piecewise-linear σ). */
    public abstract double second(double z);

    /** The canonical command-line spelling, e.g. {@code leaky_relu:0.1}. */
    public abstract String name();

    /** True when σ'' = 0 almost everywhere, so the R-operator can skip the σ'' term. */
    public boolean piecewiseLinear() {
        return false;
    }

    /** True when σ' = 0 almost everywhere (step): gradients through it vanish. */
    public boolean zeroDerivative() {
        return false;
    }

    /**
     * The closed-form dual kernel of σ (its infinite-width NNGP and NTK maps, in the style of neural-tangents'
     * elementwise layers), or null when there is none; {@link QuadratureDual} then integrates numerically.
     */
    public DualKernel dual() {
        return null;
    }

    /** Name as written in a PyTorch nn.Sequential (for docs and fixture checks). */
    public String torchModule() {
        return name();
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation a && a.name().equals(name());
    }

    @Override
    public int hashCode() {
        return name().hashCode();
    }

    /**
     * Fused pass over one layer: z ← z + β·b[j] (bias broadcast along rows, skipped when {@code bias} is null),
     * then h ← σ(z), for elements [from, to) of row-major n×width buffers; from and to are multiples of width.
     * One read and two writes per element.
     */
    public void biasAndActivate(java.nio.DoubleBuffer z, java.nio.DoubleBuffer h, java.nio.DoubleBuffer bias,
            double biasScale, int width, int from, int to) {
        for (int row = from; row < to; row += width) {
            if (bias != null) {
                for (int j = 0; j < width; j++) {
                    double v = z.get(row + j) + biasScale * bias.get(j);
                    z.put(row + j, v);
                    h.put(row + j, value(v));
                }
            } else {
                for (int j = 0; j < width; j++) {
                    h.put(row + j, value(z.get(row + j)));
                }
            }
        }
    }

    /** Fused backward mask: delta[k] ← delta[k]·σ'(z[k]) over [from, to). */
    public void multiplyDerivative(java.nio.DoubleBuffer delta, java.nio.DoubleBuffer z, int from, int to) {
        for (int k = from; k < to; k++) {
            delta.put(k, delta.get(k) * derivative(z.get(k)));
        }
    }

    /**
     * All ones (as a long bit mask) when z &gt; 0, else zero (also for NaN), without a branch: a 50/50 branch
     * on the sign of random pre-activations mispredicts half the time and made the ReLU mask 4× slower.
     * 0.0 − max(z, 0) is negative exactly when z &gt; 0, so its sign bit, smeared by an arithmetic shift, is the mask.
     */
    static long positiveMask(double z) {
        return Double.doubleToRawLongBits(0.0 - Math.max(z, 0.0)) >> 63;
    }

    /** a where mask is all ones, b where it is zero: a branch-free select. */
    static double select(long mask, double a, double b) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(a) & mask) | (Double.doubleToRawLongBits(b) & ~mask));
    }

    /** Parses {@code relu}, {@code leaky_relu}, {@code leaky_relu:0.1}, {@code gelu}, …; unknown names are an input error. */
    public static Activation parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        String arg = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            arg = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        Activation a = switch (s) {
            case "relu" -> Activations.RELU;
            case "leaky_relu", "leakyrelu" -> new Activations.LeakyRelu(arg == null ? 0.01 : parseAlpha(spec, arg));
            case "step", "heaviside" -> Activations.STEP;
            case "linear", "identity" -> Activations.LINEAR;
            case "softplus" -> Activations.SOFTPLUS;
            case "tanh" -> Activations.TANH;
            case "erf" -> Activations.ERF;
            case "sigmoid" -> Activations.SIGMOID;
            case "gelu" -> Activations.GELU;
            default -> throw new InputError("unknown activation '" + spec + "'; use one of " + String.join(", ", NAMES));
        };
        if (arg != null && !(a instanceof Activations.LeakyRelu)) {
            throw new InputError("activation '" + s + "' takes no parameter (got '" + spec + "'); only leaky_relu:alpha does");
        }
        return a;
    }

    private static double parseAlpha(String spec, String arg) {
        try {
            double alpha = Double.parseDouble(arg);
            if (!Double.isFinite(alpha)) {
                throw new NumberFormatException();
            }
            return alpha;
        } catch (NumberFormatException e) {
            throw new InputError("bad leaky_relu slope in '" + spec + "'; write e.g. leaky_relu:0.1");
        }
    }
}
