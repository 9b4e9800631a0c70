package org.overparam.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.overparam.InputError;

/**
 * An {@link Arch} with a width and a depth left open, for the studies that vary them ({@code min-width},
 * {@code deep-vs-wide}): the {@code --arch} language plus two placeholders.
 * <ul>
 * <li>{@code m}, the width: the output channels of a convolution or the units of a dense layer
 * ({@code conv:m:3}, {@code dense:m}), and nowhere else (not a kernel, stride, window, residual scale, nor the
 * last layer, whose outputs are the labels');</li>
 * <li>{@code *L}, the depth: after a layer, a residual block or a bracketed group of layers, repeats it L times
 * ({@code res[conv:m:3,relu]*L}, {@code [conv:m:3,relu]*L}).</li>
 * </ul>
 * Example: {@code conv:m:3,relu,[conv:m:3,relu]*L,gap,dense:1}. {@link #at} fills both in and gives the network.
 */
public record ArchTemplate(String spelling, List<Item> items, boolean hasWidth, boolean hasDepth) {
    /** The width placeholder, as written. */
    public static final String WIDTH = "m";
    /** The depth placeholder, as written after {@code *}. */
    public static final String DEPTH = "L";

    /** A piece of the template. */
    public sealed interface Item permits Fixed, Wide, Block, Repeat {
    }

    /** A layer without placeholders, in the {@link Arch} language. */
    public record Fixed(String layer) implements Item {
    }

    /** {@code conv:m:…} or {@code dense:m}: {@code kind} then the width then {@code rest} (":3:s2", or ""). */
    public record Wide(String kind, String rest) implements Item {
    }

    /** {@code res[...]}, {@code res:C[...]} ({@code head} "res" or "res:C"), or a plain group {@code [...]} (head ""). */
    public record Block(String head, List<Item> body) implements Item {
    }

    /** An item repeated L times. */
    public record Repeat(Item item) implements Item {
    }

    public ArchTemplate {
        items = List.copyOf(items);
    }

    /** The network at width m and depth L; an input error when that network is not a valid {@link Arch}. */
    public Arch at(int width, int depth) {
        List<String> layers = new ArrayList<>();
        for (Item i : items) {
            expand(i, width, depth, layers);
        }
        return Arch.parse(String.join(",", layers));
    }

    private static void expand(Item i, int width, int depth, List<String> out) {
        if (i instanceof Fixed f) {
            out.add(f.layer());
        } else if (i instanceof Wide w) {
            out.add(w.kind() + ":" + width + w.rest());
        } else if (i instanceof Repeat r) {
            for (int k = 0; k < depth; k++) {
                expand(r.item(), width, depth, out);
            }
        } else {
            Block b = (Block) i;
            List<String> body = new ArrayList<>();
            for (Item j : b.body()) {
                expand(j, width, depth, body);
            }
            if (b.head().isEmpty()) {
                out.addAll(body); // a plain group only groups what *L repeats
            } else {
                out.add(b.head() + "[" + String.join(",", body) + "]");
            }
        }
    }

    @Override
    public String toString() {
        return spelling;
    }

    /**
     * Parses a template; every error is one input error naming the piece. An {@code --arch} without placeholders is a
     * valid template (a fixed network): the studies say what they need with {@link #requireWidth} and
     * {@link #requireDepth}.
     */
    public static ArchTemplate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InputError("--arch is empty; write layers such as conv:m:3,relu,gap,dense:1 (m = the width)");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        boolean[] found = new boolean[2]; // width, depth
        List<Item> items = parseList(s, found);
        ArchTemplate t = new ArchTemplate(text.trim(), items, found[0], found[1]);
        Arch one = t.at(1, 1); // the language's own checks, with the placeholders filled in
        Arch.Layer last = one.layers().get(one.layers().size() - 1);
        if (last instanceof Arch.Dense d && d.out() != ((Arch.Dense) lastOf(t.at(2, 1))).out()) {
            throw new InputError("--arch '" + text.trim() + "': the last layer gives the outputs (one per class or "
                    + "target), not the width; end with dense:K and put m in a hidden layer, e.g. ...,dense:m,relu,dense:1");
        }
        return t;
    }

    private static Arch.Layer lastOf(Arch a) {
        return a.layers().get(a.layers().size() - 1);
    }

    /** Refuses a template without m: {@code who} varies the width, so the template must say which. */
    public ArchTemplate requireWidth(String who) {
        if (!hasWidth) {
            throw new InputError(who + " varies the width: write m for the channels or units to vary in --arch '"
                    + spelling + "', e.g. conv:m:3,relu,conv:m:3,relu,gap,dense:1");
        }
        return this;
    }

    /** Refuses a template without *L: {@code who} varies the depth, so the template must say what repeats. */
    public ArchTemplate requireDepth(String who) {
        if (!hasDepth) {
            throw new InputError(who + " varies the depth: mark what repeats with *L in --arch '" + spelling
                    + "', e.g. conv:m:3,relu,[conv:m:3,relu]*L,gap,dense:1");
        }
        return this;
    }

    private static List<Item> parseList(String s, boolean[] found) {
        List<Item> out = new ArrayList<>();
        for (String item : Arch.items(s, s)) {
            out.add(parseItem(item, found));
        }
        return out;
    }

    private static Item parseItem(String item, boolean[] found) {
        int star = item.lastIndexOf('*');
        if (star >= 0 && star > item.lastIndexOf(']')) {
            String count = item.substring(star + 1).trim();
            if (!count.equals("l")) {
                throw new InputError("--arch '" + item + "': write *L to repeat a layer or [group] L times (the depth "
                        + "the study varies), got '*" + count + "'");
            }
            found[1] = true;
            return new Repeat(parseItem(item.substring(0, star).trim(), found));
        }
        int open = item.indexOf('[');
        if (open >= 0) {
            if (!item.endsWith("]")) {
                throw new InputError("--arch '" + item + "': a group is res[LAYERS], res:C[LAYERS] or [LAYERS], "
                        + "optionally followed by *L");
            }
            String head = item.substring(0, open).trim();
            if (!head.isEmpty() && !head.equals("res") && !head.startsWith("res:")) {
                throw new InputError("--arch '" + item + "': a group is res[LAYERS], res:C[LAYERS] or [LAYERS]");
            }
            List<String> fields = List.of(head.split(":", -1));
            refusePlaceholders(fields.subList(1, fields.size()), item);
            return new Block(head, parseList(item.substring(open + 1, item.length() - 1), found));
        }
        if (item.contains("*") || item.contains("]")) {
            throw new InputError("--arch '" + item + "': write *L right after a layer, res[...] or [group]");
        }
        String[] p = item.split(":", -1);
        if ((p[0].equals("conv") || p[0].equals("dense")) && p.length >= 2 && p[1].equals(WIDTH)) {
            refusePlaceholders(List.of(p).subList(2, p.length), item);
            found[0] = true;
            return new Wide(p[0], item.substring(p[0].length() + 1 + WIDTH.length()));
        }
        refusePlaceholders(List.of(p).subList(1, p.length), item);
        return new Fixed(item);
    }

    /** m stands for a width only: elsewhere (a kernel, a window, a stride, a scale) it is refused by name. */
    private static void refusePlaceholders(List<String> fields, String item) {
        for (String f : fields) {
            String v = f.startsWith("s") && f.length() > 1 ? f.substring(1) : f;
            if (v.equals(WIDTH) || v.equals("l")) {
                throw new InputError("--arch '" + item + "': " + (v.equals(WIDTH) ? "m (the width) stands only for "
                        + "output channels or units, as in conv:m:K and dense:m, not for a kernel, stride, window or "
                        + "scale" : "L (the depth) is written *L after a layer or [group] to repeat it, not inside a "
                        + "layer"));
            }
        }
    }
}
