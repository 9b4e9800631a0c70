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
 * </ul>
 */
public enum Parameterization {
    STANDARD, NTK, DU2019;

    public static Parameterization parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "standard", "pytorch" -> STANDARD;
            case "ntk" -> NTK;
            case "du2019", "du" -> DU2019;
            default -> throw new InputError("unknown parameterization '" + s + "'; use standard, ntk or du2019");
        };
    }

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
