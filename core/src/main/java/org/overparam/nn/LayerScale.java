package org.overparam.nn;

import java.util.SplittableRandom;
import org.overparam.linalg.Matrix;

/**
 * How one layer with parameters (dense or convolution) is initialized and scaled in the forward pass,
 * y = s·W·x + β·b, by parameterization, with fan_in = in_channels·kernel area (neural-tangents' Conv and Dense):
 * <ul>
 * <li>standard: PyTorch's nn.Linear / nn.Conv2d default, W, b ~ U(−1/√fan_in, 1/√fan_in), s = β = 1;</li>
 * <li>ntk: W, b ~ N(0, 1), s = σ_w/√fan_in, β = σ_b (Jacot et al. 2018; neural-tangents' default);</li>
 * <li>du2019: W ~ N(0, 1), s = 1 for the first layer (w_r ~ N(0, I) inside σ(w_rᵀx)) and 1/√fan_in after it
 * (Du, Zhai, Póczos &amp; Singh 2019; Du, Lee, Li, Wang &amp; Zhai 2019 with c_σ = 1), no biases.</li>
 * </ul>
 */
record LayerScale(double weight, double bias, boolean hasBias, boolean uniform, double bound) {
    static LayerScale of(Parameterization p, int fanIn, boolean first, double sigmaW, double sigmaB, boolean bias) {
        return switch (p) {
            case STANDARD -> new LayerScale(1.0, 1.0, bias, true, 1.0 / Math.sqrt(fanIn));
            case NTK -> new LayerScale(sigmaW / Math.sqrt(fanIn), sigmaB, bias, false, 0);
            case DU2019 -> new LayerScale(first ? 1.0 : 1.0 / Math.sqrt(fanIn), 0.0, false, false, 0);
            case CHEN2021 -> throw new org.overparam.InputError("the chen2021 parameterization is defined for fully "
                    + "connected ReLU nets only; use standard, ntk or du2019 with --arch");
        };
    }

    /** Fills {@code block} with the initial values of this layer's weights or biases. */
    void draw(Matrix block, SplittableRandom rng) {
        for (long k = 0; k < block.size(); k++) {
            block.setAt(k, uniform ? rng.nextDouble(-bound, bound) : rng.nextGaussian());
        }
    }
}
