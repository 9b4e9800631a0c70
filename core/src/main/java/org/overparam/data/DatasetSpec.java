package org.overparam.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.overparam.InputError;
import org.overparam.io.Cifar10;
import org.overparam.io.Csv;
import org.overparam.io.Idx;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;

/**
 * A data set named by a one-line string, as given on the command line.
 *
 * <pre>
 * spec    := kind [ ":" param { "," param } ]
 * param   := key "=" value            (no spaces; values cannot contain ',' or '=')
 * classes := item { "/" item }        item := k | k "-" m   (e.g. 0-9, 3/5, 0-4/7)
 *
 * sphere:n=200,d=10[,seed=0][,labels=normal|sign|none]     uniform on S^{d-1}
 * gaussian:n=100,d=5[,seed=0][,labels=normal|sign|none]    i.i.d. N(0,1) inputs
 * margin:n=200,d=10,gamma=0.1[,seed=0][,skip=0]            ±1 classes, margin gamma, on the sphere
 * mnist:dir=DIR[,n=N][,classes=0-9][,seed=S][,pool=K][,labels=pm1]
 *                                                          IDX files, pixels scaled to [0,1]; pool=K averages
 *                                                          K x K blocks (28/K)^2 pixels); labels=pm1 makes two
 *                                                          classes -1/+1 (first listed -1)
 * cifar10:dir=DIR[,n=N][,classes=0-9][,seed=S]             binary batches, pixels scaled to [0,1]
 * npy:x=X.npy[,y=Y.npy]                                    x reshaped to (n, -1)
 * csv:file=F.csv[,label=none|last|first|K]                 numeric CSV, optional header line
 * </pre>
 *
 * <p>Synthetic labels: {@code labels=normal} (the default) gives scalar N(0, 1) regression targets of
 * shape (n,), {@code sign} gives ±1, {@code none} leaves the data unlabeled. {@code seed} defaults to 0.
 *
 * <p>{@code margin}'s points are one seeded stream (one separating direction, then point after point), so
 * {@code n=N} is the first N points of every longer set with that seed. {@code skip=K} (default 0) gives the
 * N points after the first K instead: a test set that follows a training set drawn with the same seed and
 * direction (as {@code overparam polylog} uses it), expressible as a spec so a sweep can store and hash it.
 *
 * <p>MNIST: {@code dir} must hold {@code *-images-idx3-ubyte[.gz]} and matching
 * {@code *-labels-idx1-ubyte[.gz]} files; the {@code train-} pair is preferred when present, else
 * {@code t10k-}. Images are flattened to 784 columns. CIFAR-10: {@code data_batch_*.bin} (all, in name
 * order) are preferred, else {@code test_batch.bin}; 3072 columns in CHW order. For both, {@code classes}
 * keeps those classes and relabels them 0..c−1 in the order listed; {@code n} then keeps the first n
 * rows, or n random rows when {@code seed} is given ({@link Preprocess#subsample}).
 *
 * <p>Relative paths are resolved against the base directory passed to {@link #load(Path)}.
 *
 * @param kind   the data set kind, e.g. {@code sphere}
 * @param params the key=value pairs in the order given
 */
public record DatasetSpec(String kind, Map<String, String> params) {

    private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();
    private static final Map<String, List<String>> REQUIRED = new LinkedHashMap<>();

    static {
        KEYS.put("sphere", List.of("n", "d", "seed", "labels", "image"));
        KEYS.put("gaussian", List.of("n", "d", "seed", "labels", "image"));
        KEYS.put("margin", List.of("n", "d", "gamma", "seed", "skip", "image"));
        KEYS.put("mnist", List.of("dir", "n", "classes", "seed", "pool", "labels"));
        KEYS.put("cifar10", List.of("dir", "n", "classes", "seed"));
        KEYS.put("npy", List.of("x", "y", "image"));
        KEYS.put("csv", List.of("file", "label", "image"));
        REQUIRED.put("sphere", List.of("n", "d"));
        REQUIRED.put("gaussian", List.of("n", "d"));
        REQUIRED.put("margin", List.of("n", "d", "gamma"));
        REQUIRED.put("mnist", List.of("dir"));
        REQUIRED.put("cifar10", List.of("dir"));
        REQUIRED.put("npy", List.of("x"));
        REQUIRED.put("csv", List.of("file"));
    }

    public DatasetSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The kinds understood, in documentation order. */
    public static Set<String> kinds() {
        return Collections.unmodifiableSet(KEYS.keySet());
    }

    /** Parses and validates a spec string (kind, keys, required keys) without touching any file. */
    public static DatasetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InputError("empty data set spec; use e.g. sphere:n=200,d=10 (kinds: "
                    + String.join(", ", KEYS.keySet()) + ")");
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).strip();
        if (!KEYS.containsKey(kind)) {
            throw new InputError("unknown data set kind '" + oneLine(kind) + "'; valid kinds: "
                    + String.join(", ", KEYS.keySet()));
        }
        List<String> valid = KEYS.get(kind);
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0 && !s.substring(colon + 1).isBlank()) {
            for (String item : s.substring(colon + 1).split(",", -1)) {
                int eq = item.indexOf('=');
                if (eq <= 0 || eq == item.length() - 1) {
                    throw new InputError(kind + ": '" + oneLine(item) + "' is not key=value; valid keys: "
                            + String.join(", ", valid) + " (lists of classes use '/', e.g. classes=3/5)");
                }
                String key = item.substring(0, eq).strip();
                String value = item.substring(eq + 1).strip();
                if (!valid.contains(key)) {
                    throw new InputError(kind + ": unknown key '" + oneLine(key) + "'; valid keys: "
                            + String.join(", ", valid));
                }
                if (params.put(key, value) != null) {
                    throw new InputError(kind + ": key '" + key + "' given twice; give it once");
                }
            }
        }
        for (String r : REQUIRED.get(kind)) {
            if (!params.containsKey(r)) {
                throw new InputError(kind + ": missing required key '" + r + "'; required: "
                        + String.join(", ", REQUIRED.get(kind)) + "; valid keys: " + String.join(", ", valid));
            }
        }
        return new DatasetSpec(kind, params);
    }

    /**
     * The shape (C, H, W) of one example as an image, for convolutional nets: {@code image=CxHxW} when given (its
     * product must be the d features), else (1, s, s) for MNIST (s = 28/pool), (3, 32, 32) for CIFAR-10, the trailing
     * dimensions of a 4-d (N, C, H, W) or 3-d (N, H, W) .npy; null for data without an image shape.
     */
    public int[] imageShape(int d, Path baseDir) {
        if (params.containsKey("image")) {
            String[] p = params.get("image").split("x", -1);
            int[] shape = new int[3];
            try {
                if (p.length != 3) {
                    throw new NumberFormatException();
                }
                for (int i = 0; i < 3; i++) {
                    shape[i] = Integer.parseInt(p[i].strip());
                    if (shape[i] < 1) {
                        throw new NumberFormatException();
                    }
                }
            } catch (NumberFormatException e) {
                throw new InputError(kind + ": image=" + oneLine(params.get("image")) + " is not CxHxW with positive "
                        + "integers, e.g. image=1x8x8");
            }
            if ((long) shape[0] * shape[1] * shape[2] != d) {
                throw new InputError(kind + ": image=" + params.get("image") + " has " + ((long) shape[0] * shape[1]
                        * shape[2]) + " values but each example has " + d + " features");
            }
            return shape;
        }
        switch (kind) {
            case "mnist" -> {
                int side = (int) Math.round(Math.sqrt(d));
                return new int[] {1, side, side};
            }
            case "cifar10" -> {
                return new int[] {3, 32, 32};
            }
            case "npy" -> {
                NdArray x = Npy.read(baseDir.resolve(params.get("x")));
                return x.rank() == 4 ? new int[] {x.dim(1), x.dim(2), x.dim(3)}
                        : x.rank() == 3 ? new int[] {1, x.dim(1), x.dim(2)} : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Parses {@code spec} and loads it, resolving relative paths against the working directory. */
    public static Dataset load(String spec) {
        return parse(spec).load(Path.of(""));
    }

    /** Loads the data set, resolving relative paths against {@code baseDir}. */
    public Dataset load(Path baseDir) {
        return switch (kind) {
            case "sphere", "gaussian" -> synthetic(baseDir);
            case "margin" -> margin();
            case "mnist" -> mnist(baseDir);
            case "cifar10" -> cifar10(baseDir);
            case "npy" -> npy(baseDir);
            case "csv" -> csv(baseDir);
            default -> throw new IllegalStateException(kind);
        };
    }

    /** The canonical spec string, {@code kind:key=value,...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind);
        String sep = ":";
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return sb.toString();
    }

    /**
     * Parses a class selection: ranges {@code 0-9} and lists {@code 3/5}, combinable ({@code 0-4/7}).
     * Order is kept: it defines the new labels 0..c−1.
     */
    public static int[] parseClasses(String text) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String item : text.split("/", -1)) {
            Matcher m = Pattern.compile("(\\d{1,6})(?:-(\\d{1,6}))?").matcher(item.strip());
            if (!m.matches()) {
                throw new InputError("classes: '" + oneLine(text) + "' is not a class list; write a range like 0-9 "
                        + "or a list like 3/5");
            }
            int a = Integer.parseInt(m.group(1));
            int b = m.group(2) == null ? a : Integer.parseInt(m.group(2));
            if (b < a) {
                throw new InputError("classes: range " + item + " runs backwards; write it as " + b + "-" + a);
            }
            for (int c = a; c <= b; c++) {
                if (!out.add(c)) {
                    throw new InputError("classes: class " + c + " appears twice in '" + text + "'; list it once");
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ kinds

    /**
     * A synthetic n × d set must fit in a Java array and in a quarter of the heap, checked before anything is
     * allocated (sphere:n=200000000 allocated 6 GB before failing).
     */
    private void checkSize(int n, int d) {
        long cells = (long) n * d;
        long heap = Runtime.getRuntime().maxMemory();
        if (cells > Integer.MAX_VALUE - 8 || cells * 8.0 > heap / 4.0) {
            throw new InputError(String.format(java.util.Locale.ROOT, "%s: n=%d, d=%d is %d values (%.3g GB), more "
                    + "than fits in memory here (heap %.3g GB); use a smaller n or d", kind, n, d, cells, cells * 8e-9,
                    heap / 1e9));
        }
    }

    /** Points skip … skip + n − 1 of the seed's stream (see the class comment). */
    private Dataset margin() {
        int n = intParam("n");
        int d = intParam("d");
        checkSize(n, d);
        long skip = longParam("skip", 0);
        if (skip < 0 || skip > Integer.MAX_VALUE - (long) n) {
            throw new InputError(kind + ": skip=" + oneLine(params.get("skip")) + " must be an integer >= 0 (points"
                    + " dropped from the start of the stream)");
        }
        Dataset all = Synthetic.twoClassMargin((int) skip + n, d, doubleParam("gamma"), longParam("seed", 0));
        if (skip == 0) {
            return all.describedAs(toString());
        }
        int from = (int) skip;
        NdArray x = NdArray.of(Arrays.copyOfRange(all.x().data(), from * d, (from + n) * d), n, d);
        NdArray y = NdArray.of(Arrays.copyOfRange(all.y().data(), from, from + n), n);
        return new Dataset(x, y, toString());
    }

    private Dataset synthetic(Path base) {
        int n = intParam("n");
        int d = intParam("d");
        checkSize(n, d);
        long seed = longParam("seed", 0);
        NdArray x = kind.equals("sphere") ? Synthetic.sphere(n, d, seed) : Synthetic.gaussian(n, d, seed);
        String labels = params.getOrDefault("labels", "normal");
        NdArray y = switch (labels) {
            case "normal" -> Synthetic.randomNormalLabels(n, 1, seed).reshape(n);
            case "sign" -> Synthetic.randomSignLabels(n, seed);
            case "none" -> null;
            default -> throw new InputError(kind + ": labels=" + oneLine(labels)
                    + " is not one of normal, sign, none");
        };
        return new Dataset(x, y, toString());
    }

    private static final Pattern MNIST_IMAGES = Pattern.compile("(.*)-images[-.]idx3-ubyte(\\.gz)?");
    private static final Pattern MNIST_LABELS = Pattern.compile("(.*)-labels[-.]idx1-ubyte(\\.gz)?");

    private Dataset mnist(Path base) {
        Path dir = base.resolve(params.get("dir"));
        List<String> names = list(dir);
        Map<String, String> images = new TreeMap<>();
        Map<String, String> labels = new TreeMap<>();
        for (String f : names) {
            Matcher mi = MNIST_IMAGES.matcher(f);
            Matcher ml = MNIST_LABELS.matcher(f);
            if (mi.matches()) {
                images.putIfAbsent(mi.group(1), f);
            } else if (ml.matches()) {
                labels.putIfAbsent(ml.group(1), f);
            }
        }
        List<String> prefixes = new ArrayList<>(images.keySet());
        prefixes.retainAll(labels.keySet());
        if (prefixes.isEmpty()) {
            throw new InputError("mnist: " + dir + " has no matching *-images-idx3-ubyte[.gz] and "
                    + "*-labels-idx1-ubyte[.gz] files; download MNIST (train-* or t10k-*) into it");
        }
        String prefix = prefixes.contains("train") ? "train" : prefixes.contains("t10k") ? "t10k" : prefixes.get(0);
        NdArray img = Idx.read(dir.resolve(images.get(prefix)));
        NdArray lab = Idx.read(dir.resolve(labels.get(prefix)));
        if (img.rank() < 2 || lab.rank() != 1) {
            throw new InputError("mnist: " + images.get(prefix) + " / " + labels.get(prefix)
                    + " do not hold images (n, rows, cols) and labels (n,); use the original MNIST files");
        }
        NdArray x = params.containsKey("pool") ? averagePool(img, intParam("pool")) : img.reshape(img.dim(0), -1);
        Dataset ds = new Dataset(x, lab, toString());
        ds = classesAndSize(Preprocess.scaleTo01(ds, 255).describedAs(toString()));
        if (params.containsKey("labels")) {
            if (!params.get("labels").equals("pm1")) {
                throw new InputError("mnist: labels=" + oneLine(params.get("labels")) + " is not pm1 (the only choice: "
                        + "two classes as -1/+1)");
            }
            ds = plusMinusOne(ds);
        }
        return ds;
    }

    /** Two classes 0/1 (after {@code classes=a/b}) as the ±1 labels of binary-classification theorems. */
    private Dataset plusMinusOne(Dataset ds) {
        double[] y = ds.y().data().clone();
        for (double v : y) {
            if (v != 0 && v != 1) {
                throw new InputError("mnist: labels=pm1 needs exactly two classes; add classes=a/b (e.g. classes=0/1)");
            }
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = 2 * y[i] - 1;
        }
        return new Dataset(ds.x(), NdArray.of(y, ds.y().shape()), ds.description());
    }

    /** The images (n, h, w) averaged over k × k blocks: (n, (h/k)·(w/k)) in row-major order. */
    private static NdArray averagePool(NdArray img, int k) {
        if (img.rank() != 3 || k < 1 || img.dim(1) % k != 0 || img.dim(2) % k != 0) {
            throw new InputError("mnist: pool=" + k + " must divide the image size " + img.dim(1) + "x" + img.dim(2)
                    + " (e.g. pool=2 for 14x14)");
        }
        int n = img.dim(0);
        int h = img.dim(1);
        int w = img.dim(2);
        int ph = h / k;
        int pw = w / k;
        double[] src = img.data();
        double[] out = new double[n * ph * pw];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    out[(i * ph + r / k) * pw + c / k] += src[(i * h + r) * w + c] / (k * k);
                }
            }
        }
        return NdArray.of(out, n, ph * pw);
    }

    private Dataset cifar10(Path base) {
        Path dir = base.resolve(params.get("dir"));
        List<String> names = list(dir);
        List<Path> files = new ArrayList<>();
        for (String f : names) {
            if (f.matches("data_batch_\\d+\\.bin")) {
                files.add(dir.resolve(f));
            }
        }
        // numeric order of the batch numbers, whatever their size (a number past the int range crashed the sort)
        files.sort(java.util.Comparator.comparing(
                (Path f) -> new java.math.BigInteger(f.getFileName().toString().replaceAll("\\D", ""))));
        if (files.isEmpty() && names.contains("test_batch.bin")) {
            files.add(dir.resolve("test_batch.bin"));
        }
        if (files.isEmpty()) {
            throw new InputError("cifar10: " + dir + " has no data_batch_*.bin or test_batch.bin; download the "
                    + "CIFAR-10 binary version and extract it there");
        }
        Cifar10.Batch b = Cifar10.readAll(files);
        Dataset ds = new Dataset(b.images(), b.labels(), toString());
        return classesAndSize(Preprocess.scaleTo01(ds, 255).describedAs(toString()));
    }

    private Dataset classesAndSize(Dataset ds) {
        if (params.containsKey("classes")) {
            ds = Preprocess.classSubset(ds, parseClasses(params.get("classes")));
        }
        if (params.containsKey("n")) {
            int n = intParam("n");
            if (n > ds.n()) {
                throw new InputError(kind + ": n=" + n + " but only " + ds.n() + " examples are available"
                        + (params.containsKey("classes") ? " in classes " + params.get("classes") : "")
                        + "; choose n <= " + ds.n());
            }
            ds = Preprocess.subsample(ds, n, params.containsKey("seed") ? longParam("seed", 0) : -1);
        }
        return ds.describedAs(toString());
    }

    private Dataset npy(Path base) {
        NdArray x = Npy.read(base.resolve(params.get("x")));
        if (x.rank() == 0) {
            throw new InputError("npy: " + params.get("x") + " holds a scalar, not a data matrix; save an (n, d) array");
        }
        x = x.rank() == 1 ? x.reshape(x.dim(0), 1) : x.reshape(x.dim(0), -1);
        NdArray y = params.containsKey("y") ? Npy.read(base.resolve(params.get("y"))) : null;
        if (y != null && y.rank() > 2) {
            y = y.reshape(y.dim(0), -1);
        }
        if (y != null && y.rank() == 0) {
            throw new InputError("npy: " + params.get("y") + " holds a scalar, not labels; save an (n,) array");
        }
        return new Dataset(x, y, toString());
    }

    private Dataset csv(Path base) {
        String label = params.getOrDefault("label", "none");
        int column = switch (label) {
            case "none" -> Csv.NO_LABELS;
            case "last" -> -1;
            case "first" -> 0;
            default -> {
                if (!label.matches("\\d{1,6}")) {
                    throw new InputError("csv: label=" + oneLine(label) + " must be none, last, first or a "
                            + "0-based column number");
                }
                yield Integer.parseInt(label);
            }
        };
        Csv.Table t = Csv.read(base.resolve(params.get("file")), column);
        return new Dataset(t.x(), t.labels(), toString());
    }

    // ------------------------------------------------------------------ values

    private int intParam(String key) {
        String v = params.get(key);
        long l = longParam(key, 0);
        if (l < 1 || l > Integer.MAX_VALUE) {
            throw new InputError(kind + ": " + key + "=" + oneLine(v) + " must be a positive integer");
        }
        return (int) l;
    }

    private long longParam(String key, long dflt) {
        String v = params.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InputError(kind + ": " + key + "=" + oneLine(v) + " is not an integer", e);
        }
    }

    private double doubleParam(String key) {
        String v = params.get(key);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InputError(kind + ": " + key + "=" + oneLine(v) + " is not a number", e);
        }
    }

    private List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputError(kind + ": " + dir + " is not a directory; pass dir=<folder with the data files>");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            Collections.sort(names);
            return names;
        } catch (IOException e) {
            throw new InputError(kind + ": cannot list " + dir + " (" + oneLine(String.valueOf(e.getMessage())) + "); check permissions", e);
        }
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("[\\r\\n\\t]", " ");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }

    /** For tests: the valid keys of a kind. */
    static List<String> keys(String kind) {
        return KEYS.get(kind);
    }

    /** For error messages and docs: every kind with its keys. */
    public static String grammar() {
        StringBuilder sb = new StringBuilder();
        for (String k : KEYS.keySet()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(k).append(": ").append(String.join(",", KEYS.get(k)));
        }
        return sb.toString();
    }
}
