package org.overparam.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.InputError;

/**
 * A network as a list of layers, the {@code --arch} language: comma-separated layers, read in order from the input.
 * <ul>
 * <li>{@code conv:OUT:K[:sS][:same|:valid]}: a K×K convolution to OUT channels, stride S (default 1), padding
 * SAME (default; zero padding, output ⌈H/S⌉, the extra pixel at the end as in TensorFlow and neural-tangents)
 * or VALID;</li>
 * <li>{@code avgpool:K}: average pooling over K×K windows with stride K (VALID: a partial window at the edge is
 * dropped); {@code gap}: global average pooling (C, H, W) → C; {@code flatten}: (C, H, W) → C·H·W;</li>
 * <li>{@code dense:OUT}: a fully connected layer;</li>
 * <li>an activation by its {@code --activation} name ({@code relu}, {@code tanh}, {@code leaky_relu:0.1}, …);</li>
 * <li>{@code res[...]} / {@code res:C[...]}: a residual block x + C·branch(x) whose branch is the layers inside the
 * brackets (C = 1 by default); Du, Lee, Li, Wang &amp; Zhai (ICML 2019) use C = c_res/(H·√m)… written as a
 * number here.</li>
 * </ul>
 * Example: {@code conv:16:3,relu,res[conv:16:3,relu],avgpool:2,flatten,dense:10}. The input shape comes from the
 * data: (N, C, H, W) images or (N, D) vectors (dense-only nets).
 */
public record Arch(List<Layer> layers) {
    public Arch {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new InputError("--arch is empty; write layers such as conv:16:3,relu,flatten,dense:1");
        }
    }

    /** One layer of the language. */
    public sealed interface Layer permits Conv, AvgPool, GlobalAvgPool, Flatten, Dense, Act, Residual {
        /** The canonical spelling (parse(spelling) gives the same layer). */
        String spelling();
    }

    public enum Padding {
        SAME, VALID
    }

    public record Conv(int out, int kernel, int stride, Padding padding) implements Layer {
        public String spelling() {
            return "conv:" + out + ":" + kernel + (stride == 1 ? "" : ":s" + stride)
                    + (padding == Padding.SAME ? "" : ":valid");
        }

        /** Output size along one axis of {@code in} pixels, and the padding before it (SAME: ⌊total/2⌋). */
        public int outSize(int in) {
            return padding == Padding.SAME ? (in + stride - 1) / stride : (in - kernel) / stride + 1;
        }

        public int padBefore(int in) {
            if (padding == Padding.VALID) {
                return 0;
            }
            int total = Math.max((outSize(in) - 1) * stride + kernel - in, 0);
            return total / 2;
        }
    }

    public record AvgPool(int window) implements Layer {
        public String spelling() {
            return "avgpool:" + window;
        }
    }

    public record GlobalAvgPool() implements Layer {
        public String spelling() {
            return "gap";
        }
    }

    public record Flatten() implements Layer {
        public String spelling() {
            return "flatten";
        }
    }

    public record Dense(int out) implements Layer {
        public String spelling() {
            return "dense:" + out;
        }
    }

    public record Act(Activation activation) implements Layer {
        public String spelling() {
            return activation.name();
        }
    }

    public record Residual(double scale, Arch branch) implements Layer {
        public String spelling() {
            return (scale == 1.0 ? "res" : "res:" + fmt(scale)) + "[" + branch.spelling() + "]";
        }
    }

    /** The canonical spelling of the whole list. */
    public String spelling() {
        return String.join(",", layers.stream().map(Layer::spelling).toList());
    }

    @Override
    public String toString() {
        return spelling();
    }

    /** True when every layer is dense or an activation (the net is an ordinary fully connected one). */
    public boolean denseOnly() {
        return layers.stream().allMatch(l -> l instanceof Dense || l instanceof Act);
    }

    /** The output shape for an input of shape {@code in}, checking every layer fits its input. */
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Layer l : layers) {
            s = outputShape(l, s);
        }
        return s;
    }

    /** One layer's output shape; an input error names the layer and what it needs. */
    public static Shape outputShape(Layer l, Shape s) {
        if (l instanceof Conv c) {
            requireImage(l, s);
            if (c.padding() == Padding.VALID && (s.height() < c.kernel() || s.width() < c.kernel())) {
                throw new InputError("--arch " + l.spelling() + ": a " + c.kernel() + "x" + c.kernel()
                        + " valid convolution does not fit a " + s + " input; use :same or a smaller kernel");
            }
            return Shape.image(c.out(), c.outSize(s.height()), c.outSize(s.width()));
        }
        if (l instanceof AvgPool p) {
            requireImage(l, s);
            if (s.height() < p.window() || s.width() < p.window()) {
                throw new InputError("--arch " + l.spelling() + ": a " + p.window() + "x" + p.window()
                        + " window does not fit a " + s + " input");
            }
            return Shape.image(s.channels(), s.height() / p.window(), s.width() / p.window());
        }
        if (l instanceof GlobalAvgPool) {
            requireImage(l, s);
            return Shape.flat(s.channels());
        }
        if (l instanceof Flatten) {
            return s.image() ? Shape.flat(s.size()) : s;
        }
        if (l instanceof Dense d) {
            if (s.image()) {
                throw new InputError("--arch " + l.spelling() + " after a " + s + " image: add flatten or gap before it");
            }
            return Shape.flat(d.out());
        }
        if (l instanceof Residual r) {
            Shape out = r.branch().outputShape(s);
            if (!out.equals(s)) {
                throw new InputError("--arch " + l.spelling() + ": the branch maps " + s + " to " + out
                        + "; an identity skip needs the same shape (keep the channels, stride 1, same padding)");
            }
            return s;
        }
        return s; // an activation
    }

    private static void requireImage(Layer l, Shape s) {
        if (!s.image()) {
            throw new InputError("--arch " + l.spelling() + " needs an image input (N, C, H, W) but gets a vector of "
                    + s.channels() + "; give image data or put it before flatten/gap");
        }
    }

    /** Parses the {@code --arch} language; any error is an input error naming the offending layer. */
    public static Arch parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InputError("--arch is empty; write layers such as conv:16:3,relu,flatten,dense:1");
        }
        return new Arch(parseList(text.trim().toLowerCase(Locale.ROOT), text));
    }

    private static List<Layer> parseList(String s, String whole) {
        List<Layer> out = new ArrayList<>();
        for (String item : items(s, whole)) {
            out.add(parseLayer(item, whole));
        }
        return out;
    }

    /**
     * The comma-separated items of {@code s} at bracket depth 0 ({@code res[a,b]} is one item), trimmed; unbalanced
     * brackets and empty items are one-line errors naming {@code whole}. Shared with {@link ArchTemplate}.
     */
    static List<String> items(String s, String whole) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
                if (depth < 0) {
                    throw new InputError("--arch '" + whole + "': unbalanced ']'");
                }
            } else if (c == ',' && depth == 0) {
                String item = s.substring(start, i).trim();
                if (item.isEmpty()) {
                    throw new InputError("--arch '" + whole + "': an empty layer between commas");
                }
                out.add(item);
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new InputError("--arch '" + whole + "': unbalanced '['");
        }
        return out;
    }

    private static Layer parseLayer(String item, String whole) {
        if (item.startsWith("res")) {
            int open = item.indexOf('[');
            if (open < 0 || !item.endsWith("]")) {
                throw new InputError("--arch '" + item + "': a residual block is res[LAYERS] or res:C[LAYERS]");
            }
            String head = item.substring(0, open);
            double scale = 1.0;
            if (head.startsWith("res:")) {
                scale = number(head.substring(4), item, "scale");
            } else if (!head.equals("res")) {
                throw new InputError("--arch '" + item + "': a residual block is res[LAYERS] or res:C[LAYERS]");
            }
            return new Residual(scale, new Arch(parseList(item.substring(open + 1, item.length() - 1), whole)));
        }
        String[] p = item.split(":", -1);
        switch (p[0]) {
            case "conv" -> {
                if (p.length < 3) {
                    throw new InputError("--arch '" + item + "': write conv:OUT:K with optional :sS and :same|:valid");
                }
                int outC = positive(p[1], item, "output channels");
                int k = positive(p[2], item, "kernel size");
                int stride = 1;
                Padding pad = Padding.SAME;
                for (int i = 3; i < p.length; i++) {
                    if (p[i].equals("same")) {
                        pad = Padding.SAME;
                    } else if (p[i].equals("valid")) {
                        pad = Padding.VALID;
                    } else if (p[i].startsWith("s")) {
                        stride = positive(p[i].substring(1), item, "stride");
                    } else {
                        throw new InputError("--arch '" + item + "': unknown conv option '" + p[i]
                                + "'; use :sS (stride) and :same or :valid");
                    }
                }
                return new Conv(outC, k, stride, pad);
            }
            case "avgpool" -> {
                if (p.length != 2) {
                    throw new InputError("--arch '" + item + "': write avgpool:K (K x K windows, stride K)");
                }
                return new AvgPool(positive(p[1], item, "window"));
            }
            case "gap" -> {
                return new GlobalAvgPool();
            }
            case "flatten" -> {
                return new Flatten();
            }
            case "dense" -> {
                if (p.length != 2) {
                    throw new InputError("--arch '" + item + "': write dense:OUT");
                }
                return new Dense(positive(p[1], item, "width"));
            }
            default -> {
                try {
                    return new Act(Activation.parse(item));
                } catch (InputError e) {
                    throw new InputError("--arch '" + whole + "': unknown layer '" + item + "'; use conv:OUT:K, "
                            + "avgpool:K, gap, flatten, dense:OUT, res[...] or an activation ("
                            + String.join(", ", Activation.NAMES) + ")");
                }
            }
        }
    }

    private static int positive(String s, String item, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1 && v <= 1 << 20) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputError("--arch '" + item + "': the " + what + " must be an integer from 1 to 1048576, got '" + s
                + "'");
    }

    private static double number(String s, String item, String what) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputError("--arch '" + item + "': the " + what + " must be a finite number, got '" + s + "'");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
