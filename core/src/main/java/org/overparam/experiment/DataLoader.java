package org.overparam.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.overparam.InputError;
import org.overparam.data.Dataset;
import org.overparam.data.DatasetSpec;
import org.overparam.data.Preprocess;
import org.overparam.data.Transforms;
import org.overparam.io.Csv;
import org.overparam.io.Idx;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.linalg.Matrix;

/**
 * Turns a {@link RunConfig}'s data options into matrices: a {@code --dataset} spec or {@code --data}/{@code
 * --labels} files (.npy, .csv, IDX), then subsampling, an optional train/test split, centering and row
 * normalization, then the randomization transforms of Zhang et al. 2017 on the training set only -- except
 * the one fixed pixel permutation of "shuffled pixels", which the test inputs share (their Sec. 2).
 */
public final class DataLoader {
    private DataLoader() {
    }

    public static LoadedData load(RunConfig c) {
        DataConfig d = c.data();
        if ((d.dataset() == null) == (d.data() == null)) {
            throw new InputError("give the training data either as --dataset SPEC or as --data FILE [--labels FILE]");
        }
        Dataset train = d.dataset() != null ? DatasetSpec.load(d.dataset()) : fromFiles(d.data(), d.labels());
        if (train.n() == 0) {
            throw new InputError("the training data has no rows (n = 0); give at least one sample");
        }
        if (!train.labeled()) {
            throw new InputError("the training data has no labels; add --labels FILE (or labels= in the dataset spec)");
        }
        Dataset test = null;
        if (d.testDataset() != null) {
            test = DatasetSpec.load(d.testDataset());
        } else if (d.testData() != null) {
            test = fromFiles(d.testData(), d.testLabels());
        } else if (d.testLabels() != null) {
            throw new InputError("--test-labels needs --test-data");
        }
        if (d.subsample() > 0) {
            if (d.subsample() > train.n()) {
                throw new InputError("--subsample " + d.subsample() + " exceeds the " + train.n() + " training samples");
            }
            train = Preprocess.subsample(train, d.subsample(), c.seed());
        }
        if (d.testSplit() > 0) {
            if (test != null) {
                throw new InputError("--test-split cannot be combined with an explicit test set");
            }
            if (d.testSplit() >= 1) {
                throw new InputError("--test-split must be a fraction in (0, 1), got " + d.testSplit());
            }
            Preprocess.Split s = Preprocess.split(train, d.testSplit(), c.seed());
            train = s.train();
            test = s.test();
        }
        if (d.center()) {
            train = Preprocess.center(train);
            test = test == null ? null : Preprocess.center(test);
        }
        if (d.normalize()) {
            train = Preprocess.normalizeRows(train);
            test = test == null ? null : Preprocess.normalizeRows(test);
        }
        int classes = d.classes() > 0 ? d.classes() : maxLabel(train) + 1;
        if (d.corruptLabels() > 0) {
            if (d.corruptLabels() > 1) {
                throw new InputError("--corrupt-labels is a fraction in [0, 1], got " + d.corruptLabels());
            }
            train = Transforms.corruptLabels(train, d.corruptLabels(), classes, c.seed());
        }
        if (d.shufflePixels()) {
            // Zhang et al. 2017, Sec. 2: "the same permutation is applied to all the images in both training
            // and test set" -- a fixed change of input coordinates, so the test inputs must share it
            train = Transforms.shufflePixels(train, c.seed());
            test = test == null ? null : Transforms.shufflePixels(test, c.seed());
        }
        if (d.randomPixels()) {
            train = Transforms.randomPixels(train, c.seed());
        }
        if (d.gaussianInputs()) {
            train = Transforms.gaussianInputs(train, c.seed());
        }
        Matrix x = matrix(train.x());
        Matrix y = labels(train.y(), d.oneHot(), classes);
        Matrix tx = null;
        Matrix ty = null;
        if (test != null) {
            if (!test.labeled()) {
                throw new InputError("the test data has no labels; add --test-labels FILE");
            }
            if (test.d() != train.d()) {
                throw new InputError("test data has " + test.d() + " features but training data has " + train.d());
            }
            tx = matrix(test.x());
            ty = labels(test.y(), d.oneHot(), classes);
        }
        // the image shape only matters to --arch networks (a file is read a second time for a 4-d .npy spec)
        int[] image = c.network().arch() == null ? null : d.dataset() != null
                ? DatasetSpec.parse(d.dataset()).imageShape(train.d(), Path.of("")) : fileImageShape(d.data());
        return new LoadedData(x, y, tx, ty, train.description(), image);
    }

    private static int maxLabel(Dataset ds) {
        double max = 0;
        for (double v : ds.y().data()) {
            max = Math.max(max, v);
        }
        return (int) Math.min(max, 1 << 20);
    }

    /** The (C, H, W) of a 4-d (N, C, H, W) or 3-d (N, H, W, e.g. IDX images) --data file, else null. */
    static int[] fileImageShape(String data) {
        NdArray x = readArray(data, "--data");
        return x.rank() == 4 ? new int[] {x.dim(1), x.dim(2), x.dim(3)}
                : x.rank() == 3 ? new int[] {1, x.dim(1), x.dim(2)} : null;
    }

    /** Reads --data and --labels files by extension: .npy, .csv, or IDX (name containing "idx"). */
    static Dataset fromFiles(String data, String labels) {
        NdArray x = readArray(data, "--data");
        if (x.rank() == 1) {
            x = x.reshape(x.shape()[0], 1);
        } else if (x.rank() > 2) {
            x = x.reshape(x.shape()[0], -1);
        } else if (x.rank() == 0) {
            throw new InputError(data + ": a scalar is not a data matrix; save an (n, d) array");
        }
        NdArray y = labels == null ? null : readArray(labels, "--labels");
        return y == null ? Dataset.unlabeled(x, data) : new Dataset(x, y, data);
    }

    static NdArray readArray(String file, String option) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new InputError(file + ": no such file (given to " + option + ")");
        }
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return Npy.read(p);
        }
        if (name.endsWith(".csv")) {
            return Csv.read(p, Csv.NO_LABELS).x();
        }
        if (name.contains("idx") || name.endsWith("-ubyte") || name.endsWith("-ubyte.gz")) {
            return Idx.read(p);
        }
        throw new InputError(file + ": unknown format for " + option + "; use .npy, .csv or an IDX file");
    }

    static Matrix matrix(NdArray a) {
        return Matrix.of(a.shape()[0], a.size() == 0 ? 0 : (int) (a.size() / a.shape()[0]), a.data());
    }

    /** (n,) → n × 1, (n, k) → n × k, or one-hot n × classes from integer labels. */
    static Matrix labels(NdArray y, boolean oneHot, int classes) {
        int n = y.shape()[0];
        if (!oneHot) {
            if (y.rank() > 2) {
                throw new InputError("labels must be (n,) or (n, k), got shape " + java.util.Arrays.toString(y.shape()));
            }
            return Matrix.of(n, y.rank() == 1 ? 1 : y.shape()[1], y.data());
        }
        if (y.rank() != 1 && !(y.rank() == 2 && y.shape()[1] == 1)) {
            throw new InputError("--one-hot needs integer labels of shape (n,), got " + java.util.Arrays.toString(y.shape()));
        }
        Matrix m = Matrix.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            double v = y.data()[i];
            if (v < 0 || v >= classes || v != Math.rint(v)) {
                throw new InputError("--one-hot: label " + v + " at row " + i + " is not an integer in 0.." + (classes - 1));
            }
            m.set(i, (int) v, 1.0);
        }
        return m;
    }
}
