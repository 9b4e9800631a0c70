package org.overparam.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.overparam.InputError;

/**
 * The probes of a width search as stored training runs: a request (n, m) is S runs, seeds 0…S−1, and each
 * call trains the runs of a whole batch of requests on the workers in one {@link SweepRun}, reading the ones
 * already in the {@link ResultsStore} back instead. {@link MinimalWidth} and {@link PolylogRun} both search
 * through it, so both are parallel across runs and resume a killed search the same way.
 */
public final class StoredProbes {
    /** The training run of one seed of one request, already {@link SweepRun#placed} (threads 1, its folder). */
    public interface Runs {
        RunConfig of(MinimalWidth.Request request, int seed);
    }

    private final ResultsStore store;
    private final int workers;
    private final int seeds;
    private final Runs runs;
    private int trained;
    private int fromStore;

    public StoredProbes(ResultsStore store, int workers, int seeds, Runs runs) {
        this.store = store;
        this.workers = workers;
        this.seeds = seeds;
        this.runs = runs;
    }

    /**
     * The summaries of every request's runs, seed by seed, after training those not yet stored (one sweep over
     * the whole batch, so the runs of different n share the workers). A run that fails (is not stored) is an
     * {@link InputError}: the search cannot go on without it.
     */
    public List<List<Map<String, Object>>> summaries(List<MinimalWidth.Request> batch) {
        List<RunConfig> configs = new ArrayList<>();
        for (MinimalWidth.Request r : batch) {
            for (int s = 0; s < seeds; s++) {
                configs.add(runs.of(r, s));
            }
        }
        SweepRun.Counts c = SweepRun.execute(configs, List.of("final_loss", "steps_to_target"), store, workers,
                line -> { });
        if (!c.failed().isEmpty()) {
            throw new InputError(c.failed().size() + " probe run(s) failed; first: " + c.failed().get(0).reason());
        }
        trained += c.run();
        fromStore += c.skipped();
        List<String> hashes = configs.stream().map(ResultsStore::configHash).toList();
        Map<String, Map<String, Object>> sums = store.summaries(hashes);
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            Map<String, Object> summary = sums.get(hashes.get(i));
            if (summary == null) {
                throw new IllegalStateException("probe run " + configs.get(i).out() + " is not in the store");
            }
            if (i % seeds == 0) {
                out.add(new ArrayList<>());
            }
            out.get(i / seeds).add(summary);
        }
        return out;
    }

    /** Per request, how many of its seeds reached the target ({@link MinimalWidth#reached}). */
    public int[] successes(List<MinimalWidth.Request> batch) {
        return reachedCounts(summaries(batch));
    }

    /** Per request of {@link #summaries}' answer, how many of its seeds reached the target. */
    public static int[] reachedCounts(List<List<Map<String, Object>>> sums) {
        int[] ok = new int[sums.size()];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = (int) sums.get(i).stream().filter(MinimalWidth::reached).count();
        }
        return ok;
    }

    /** Runs trained so far by this object's calls. */
    public int trained() {
        return trained;
    }

    /** Runs read back from the store so far (already stored, or repeated within a batch). */
    public int fromStore() {
        return fromStore;
    }
}
