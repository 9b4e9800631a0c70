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
            // the width needed: the ResNet's stays within its width at every depth, the plain net's grows with depth
            for (int h : List.of(1, 4, 16)) {
                assertTrue(r.get("resnet_H" + h + "_width_needed") >= 1, r.describe());
            }
            assertTrue(r.get("plain_H16_width_needed") < 0 || r.get("plain_H16_width_needed")
                    > 2 * r.get("resnet_H16_width_needed"), r.describe());
            assertTrue(r.why().contains("width needed to fit within 3000 steps"), r.why());
            List<Figure> figs = c.figures(r, s);
            assertEquals(3, figs.size());
            // Theorem 6.1's H^2 is a bound's shape, drawn as a bound; the widths found are measurements
            assertEquals(List.of(Figure.Style.MEASURED, Figure.Style.MEASURED, Figure.Style.BOUND), figs.get(2).series()
                    .stream().map(Figure.Series::style).filter(x -> x != Figure.Style.AT_LEAST).toList());
        } finally {
            s.net().close();
        }
    }

    /**
     * The width search finds a width that fits, with the width below its bracket failing, and no width below the
     * bracket's failing end fits either when scanned one by one (the search may skip a narrower fit only above it).
     */
    @Test
    void theWidthNeededIsBracketedByAFitAndAFailure() {
        Setup s = PresetSetups.wideNtk("relu", 8, 4, 64, 3);
        try {
            DepthResNet c = new DepthResNet(List.of(1, 8), 3000, 1e-2, 0);
            DepthResNet.Needed w = c.widthNeeded(s, false, 8, 64);
            assertTrue(w.found() && w.width() <= 64 && w.lastFailure() < w.width(), w.toString());
            assertTrue(c.measure(s, false, 8, w.width()).fit(), "fits at the width found");
            assertTrue(w.width() - w.lastFailure() <= Math.max(1, DepthResNet.WIDTH_RESOLUTION * w.width()), w.toString());
            if (w.lastFailure() > 0) {
                assertFalse(c.measure(s, false, 8, w.lastFailure()).fit(), "fails at the bracket's open end");
            }
            for (int m = 1; m < Math.min(w.lastFailure(), 4); m++) {
                assertFalse(c.measure(s, false, 8, m).fit(), "width " + m + " below the bracket fits");
            }
            // a budget of one step fits nowhere: the width needed is not found up to the cap
            assertFalse(new DepthResNet(List.of(1, 8), 1, 1e-2, 0).widthNeeded(s, true, 8, 16).found());
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
