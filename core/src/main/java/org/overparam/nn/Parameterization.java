package org.overparam.nn;

import org.overparam.InputError;

/**
 * How weights are initialized and scaled in the forward pass.
 * <ul>
 * <li>{@code STANDARD}: PyTorch's nn.Linear default, W, b ~ U(−1/√fan_in, 1/√fan_in), forward W·h + b.</li>
 * <li>{@code NTK}: W, b ~ N(0, 1), forward (σ_w/√fan_in)·W·h + σ_b·b — neural-tangents'
 * {@code parameterization='ntk'} (Jacot et al. 2018). Gradients are taken with respect to the N(0,1)
 * variables, so the NTK sees the scale factors squared.</li>
 * <li>{@code DU2019}: the two-layer model of Du, Zhai, Poczos &amp; Singh (ICLR 2019),
 * f(x) = (1/√m)·Σ_r a_r·σ(w_rᵀx), w_r ~ N(0, I), a_r uniform on {±1} and fixed (not trained), no biases.</li>
 * <li>{@code CHEN2021}: the deep ReLU model of Chen, Cao, Zou &amp; Gu (ICLR 2021, arXiv 1911.12360, Section 3),
 * f(x) = √m·W_L σ(W_{L−1} ⋯ σ(W_1 x)), W_1 ∈ R^{m×d}, W_l ∈ R^{m×m}, W_L ∈ R^{1×m}; W_1..W_{L−1} ~ N(0, 2/m),
 * W_L ~ N(0, 1/m), no biases, every layer trained. Gradients are with respect to the W's as written, so
 * ‖W_l − W_l⁰‖_F is in the paper's units (their NTRF radius R/√m, Definition 3.1).</li>
 * </ul>
 */
public enum Parameterization {
    STANDARD, NTK, DU2019, CHEN2021;

    public static Parameterization parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "standard", "pytorch" -> STANDARD;
            case "ntk" -> NTK;
            case "du2019", "du" -> DU2019;
            case "chen2021", "chen" -> CHEN2021;
            default -> throw new InputError("unknown parameterization '" + s + "'; use standard, ntk, du2019 or chen2021");
        };
    }

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
