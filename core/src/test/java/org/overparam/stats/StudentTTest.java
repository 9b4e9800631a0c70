package org.overparam.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Quantiles and CDF values against scipy 1.17.1 (stats.t.ppf / stats.t.cdf), committed as constants. */
class StudentTTest {
    // dof, ppf(0.975), cdf(1.5), ppf(0.9)
    static final double[][] SCIPY = {
        {1, 12.706204736174694, 0.8128329581890011, 3.0776835371752544},
        {2, 4.302652729749462, 0.8638034375544994, 1.8856180831641272},
        {3, 3.1824463052837078, 0.8847080673775886, 1.637744353696209},
        {4, 2.7764451051977934, 0.896, 1.533206274058944},
        {5, 2.5705818356363146, 0.9030481598787634, 1.4758840488244815},
        {10, 2.228138851986274, 0.9177463367772799, 1.372183641110336},
        {30, 2.0422724563012378, 0.927967035435677, 1.3104150253913955},
    };

    @Test
    void matchesScipy() {
        for (double[] r : SCIPY) {
            double dof = r[0];
            assertEquals(r[1], StudentT.quantile(0.975, dof), 1e-11 * r[1], "ppf(0.975), dof " + dof);
            assertEquals(r[2], StudentT.cdf(1.5, dof), 1e-13, "cdf(1.5), dof " + dof);
            assertEquals(r[3], StudentT.quantile(0.9, dof), 1e-11 * r[3], "ppf(0.9), dof " + dof);
            assertEquals(-r[1], StudentT.quantile(0.025, dof), 1e-11 * r[1], "symmetry, dof " + dof);
            assertEquals(1 - r[2], StudentT.cdf(-1.5, dof), 1e-13, "cdf(-1.5), dof " + dof);
        }
    }

    @Test
    void approachesTheNormalQuantile() {
        assertEquals(1.959963984540054, StudentT.quantile(0.975, 1e7), 1e-6);
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1.0, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.5, 0));
    }
}
