package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;

/**
 * Du et al. 2019's depth result on small deep nets: with inputs on the sphere the ResNet keeps the Gram's least
 * eigenvalue and the step count as depth grows while the plain net loses them (observed); unnormalized inputs leave
 * the hypothesis unmet; a budget too short to fit reads undecided.
 */
class DepthResNetTest {
    @Test
    void resnetKeepsWhatThePlainNetLosesWithDepth() {
        Setup s = PresetSetups.wideNtk("relu", 8, 4, 64, 3);
        try {
            DepthResNet c = new DepthResNet(List.of(1, 4, 16), 3000, 1e-2, 0);
            CheckResult r = c.run(s);
            // width 64 is far below n^4 H^2 / lambda^4 even with the constant set to 1: hypothesis unmet, yet GD fits
            assertFalse(r.hypothesis().met(), r.describe());
            assertTrue(r.get("resnet_width_required_constant_1") > 1e6, r.describe());
            assertEquals(Conclusion.OBSERVED, r.conclusion(), r.describe());
            for (int h : List.of(1, 4, 16)) {
                assertTrue(r.get("resnet_H" + h + "_steps") >= 1 && r.get("plain_H" + h + "_steps") >= 1, r.describe());
            }
            assertTrue(r.why().contains("the plain net's steps grow") && r.why().contains("the ResNet's"), r.why());
            assertEquals(2, c.figures(r, s).size());
        } finally {
            s.net().close();
        }
    }

    /** One depth block of the ResNet family is Du et al.'s x + (1/H)·σ(W x) with W scaled by sqrt(2/m), checked by hand. */
    @Test
    void theResNetFamilyIsDuEtAlsForm() {
        org.overparam.nn.Arch a = DepthResNet.arch(true, 4, 8);
        assertEquals("dense:8,relu,res:0.25[dense:8,relu],res:0.25[dense:8,relu],res:0.25[dense:8,relu],dense:1",
                a.spelling());
        assertEquals("dense:8,relu,dense:8,relu,dense:1", DepthResNet.arch(false, 2, 8).spelling());
    }

    @Test
    void offTheSphereTheHypothesisFailsAndAShortBudgetIsUndecided() {
        Setup s = PresetSetups.ntkNet("relu", 6, 3, 32, false, 4); // Gaussian inputs: norms far from 1
        try {
            CheckResult r = new DepthResNet(List.of(1, 4), 2000, 1e-2, 0).run(s);
            assertFalse(r.hypothesis().met(), r.describe());
            CheckResult shortRun = new DepthResNet(List.of(1, 4), 1, 1e-2, 0).run(s);
            assertEquals(Conclusion.UNDECIDED, shortRun.conclusion(), shortRun.describe());
        } finally {
            s.net().close();
        }
    }
}
