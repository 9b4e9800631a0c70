package org.overparam.nn;

import java.nio.DoubleBuffer;

/**
 * The activation families. Each states σ, σ', σ''; the smooth ones follow PyTorch's definitions
 * (softplus with β = 1, GELU in its exact erf form x·Φ(x), sigmoid 1/(1+e^{−z})).
 */
public final class Activations {
    private Activations() {
    }

    public static final Activation RELU = new Relu();
    public static final Activation STEP = new Step();
    public static final Activation LINEAR = new Linear();
    public static final Activation SOFTPLUS = new Softplus();
    public static final Activation TANH = new Tanh();
    public static final Activation ERF = new ErfActivation();
    public static final Activation SIGMOID = new Sigmoid();
    public static final Activation GELU = new Gelu();

    private static final DualKernel RELU_DUAL = DualKernels.abRelu(0.0, 1.0, 0.0, "relu");

    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /**
     * max(z, 0); relu'(0) = 0 as in PyTorch. The hot path: Math.max is a branch-free intrinsic and the
     * backward mask uses {@link Activation#positiveMask}.
     */
    static final class Relu extends Activation {
        public double value(double z) {
            return Math.max(z, 0.0);
        }

        public double derivative(double z) {
            return select(positiveMask(z), 1.0, 0.0);
        }

        public double second(double z) {
            return 0.0;
        }

        @Override
        public DualKernel dual() {
            return RELU_DUAL;
        }

        public String name() {
            return "relu";
        }

        @Override
        public boolean piecewiseLinear() {
            return true;
        }

        @Override
        public void multiplyDerivative(DoubleBuffer delta, DoubleBuffer z, int from, int to) {
            for (int k = from; k < to; k++) {
                long m = positiveMask(z.get(k));
                delta.put(k, Double.longBitsToDouble(Double.doubleToRawLongBits(delta.get(k)) & m));
            }
        }
    }

    /** z for z &gt; 0, α·z otherwise (PyTorch's LeakyReLU, default α = 0.01; derivative α at 0). */
    public static final class LeakyRelu extends Activation {
        private final double alpha;

        public LeakyRelu(double alpha) {
            this.alpha = alpha;
        }

        public double alpha() {
            return alpha;
        }

        public double value(double z) {
            return select(positiveMask(z), z, alpha * z);
        }

        public double derivative(double z) {
            return select(positiveMask(z), 1.0, alpha);
        }

        public double second(double z) {
            return 0.0;
        }

        @Override
        public DualKernel dual() {
            return DualKernels.abRelu(alpha, 1.0, alpha, name());
        }

        public String name() {
            return "leaky_relu:" + alpha;
        }

        @Override
        public boolean piecewiseLinear() {
            return true;
        }
    }

    /** 1{z ≥ 0}; its derivative is 0 almost everywhere, so gradients do not pass through it. */
    static final class Step extends Activation {
        public double value(double z) {
            return z >= 0 ? 1.0 : 0.0;
        }

        public double derivative(double z) {
            return 0.0;
        }

        public double second(double z) {
            return 0.0;
        }

        @Override
        public DualKernel dual() {
            return DualKernels.STEP;
        }

        public String name() {
            return "step";
        }

        @Override
        public boolean piecewiseLinear() {
            return true;
        }

        @Override
        public boolean zeroDerivative() {
            return true;
        }
    }

    static final class Linear extends Activation {
        public double value(double z) {
            return z;
        }

        public double derivative(double z) {
            return 1.0;
        }

        public double second(double z) {
            return 0.0;
        }

        @Override
        public DualKernel dual() {
            return DualKernels.LINEAR;
        }

        public String name() {
            return "linear";
        }

        @Override
        public boolean piecewiseLinear() {
            return true;
        }
    }

    /** log(1 + e^z) in the overflow-safe form max(z,0) + log1p(e^{−|z|}). */
    static final class Softplus extends Activation {
        public double value(double z) {
            return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
        }

        public double derivative(double z) {
            return sigmoid(z);
        }

        public double second(double z) {
            double s = sigmoid(z);
            return s * (1 - s);
        }

        public String name() {
            return "softplus";
        }

        /** σ(z) = 1 − e^{−softplus(z)}: one expm1 instead of an exp and a division. */
        @Override
        public double derivativeGivenValue(double z, double v) {
            return -Math.expm1(-v);
        }
    }

    static final class Tanh extends Activation {
        public double value(double z) {
            return Math.tanh(z);
        }

        public double derivative(double z) {
            double t = Math.tanh(z);
            return 1 - t * t;
        }

        public double second(double z) {
            double t = Math.tanh(z);
            return -2 * t * (1 - t * t);
        }

        public String name() {
            return "tanh";
        }

        @Override
        public double derivativeGivenValue(double z, double t) {
            return 1 - t * t;
        }
    }

    /** erf(z): σ' = (2/√π)e^{−z²}, σ'' = −2z·σ' (the activation with closed-form arcsine kernels, Williams 1997). */
    static final class ErfActivation extends Activation {
        public double value(double z) {
            return Erf.erf(z);
        }

        public double derivative(double z) {
            return TWO_OVER_SQRT_PI * Math.exp(-z * z);
        }

        public double second(double z) {
            return -2 * z * derivative(z);
        }

        @Override
        public DualKernel dual() {
            return DualKernels.ERF;
        }

        public String name() {
            return "erf";
        }
    }

    static final class Sigmoid extends Activation {
        public double value(double z) {
            return sigmoid(z);
        }

        public double derivative(double z) {
            double s = sigmoid(z);
            return s * (1 - s);
        }

        public double second(double z) {
            double s = sigmoid(z);
            return s * (1 - s) * (1 - 2 * s);
        }

        public String name() {
            return "sigmoid";
        }

        @Override
        public double derivativeGivenValue(double z, double s) {
            return s * (1 - s);
        }
    }

    /** GELU, exact form z·Φ(z) (PyTorch's default approximate='none'): σ' = Φ + zφ, σ'' = φ·(2 − z²). */
    static final class Gelu extends Activation {
        public double value(double z) {
            return z * cdf(z);
        }

        public double derivative(double z) {
            return cdf(z) + z * pdf(z);
        }

        public double second(double z) {
            return pdf(z) * (2 - z * z);
        }

        public String name() {
            return "gelu";
        }

        /** Φ(z) = v/z (0.5 at z = 0) recovers the cdf from the value, so only the pdf is computed. */
        @Override
        public double derivativeGivenValue(double z, double v) {
            return (z == 0 ? 0.5 : v / z) + z * pdf(z);
        }
    }

    /** Numerically stable logistic function. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** Standard normal CDF Φ(z) = ½·erfc(−z/√2) (erfc keeps the left tail accurate). */
    static double cdf(double z) {
        return 0.5 * Erf.erfc(-z * INV_SQRT_2);
    }

    static double pdf(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }
}
