#!/usr/bin/env bash
# Spark standalone-cluster overhead benchmark: the same 24-run sweep as bench/run-spark-bench.sh (sphere:n=100,
# d=10, ntk width 2048, 3000 GD steps) in-process ('overparam sweep --workers 2') and submitted to a two-worker
# standalone cluster on this machine's loopback (spark/cluster.sh: a master and two 1-core workers, separate
# JVMs; the sweep through SparkSubmit in client mode), one BLAS thread per run either way, each into a fresh
# database, RUNS times (default 3, alternating which goes first). Prints every wall time, the medians and the
# cluster's overhead, and checks both gave the same final losses.
#
# The cluster is started once, before the timings, and stopped at the end, as a cluster is a standing service;
# its start is printed apart. A submission's wall time includes the driver JVM, the Spark context, the
# executors' launch (a JVM per worker per application) and the jar's transfer to them. Nothing else should run
# on the machine meanwhile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
runs="${RUNS:-3}"
work="$(mktemp -d)"
cluster="$work/cluster"
trap '"$root/spark/cluster.sh" stop --dir "$cluster" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/spec.yaml" <<'YAML'
base:
  dataset: "sphere:n=100,d=10"
  steps: 3000
  lr: 1.0
  parameterization: "ntk"
grid:
  hidden: ["2048"]
  seed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]
YAML
# build both jars first, outside the timings (the launcher builds spark/target/overparam-spark.jar and the
# classpath files when they are missing or stale)
"$root/overparam" --version >/dev/null
"$root/spark/overparam-spark" --version >/dev/null

now() { "$py" -c 'import time; print(time.time())'; }
t0=$(now)
"$root/spark/cluster.sh" start --dir "$cluster" >/dev/null
t1=$(now)
echo "cluster start (master and 2 workers, once): $("$py" -c "print(round($t1 - $t0, 1))") s"

timed() { # NAME COMMAND...: runs it and appends its wall time to $work/NAME.times (its log shown if it fails)
  local name="$1"; shift
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>"$work/$name.log" || { cat "$work/$name.log" >&2; echo "$name: failed" >&2; exit 1; }
  t1=$(now)
  "$py" -c "print(round($t1 - $t0, 2))" | tee -a "$work/$name.times" | sed "s/^/$name: /; s/\$/ s/"
}
for ((r = 1; r <= runs; r++)); do
  order=(local cluster); ((r % 2 == 0)) && order=(cluster local)
  for what in "${order[@]}"; do
    rm -rf "$work/$what.duckdb" "$work/$what-runs"
    if [[ "$what" == local ]]; then
      timed local "$root/overparam" sweep "$work/spec.yaml" --db "$work/local.duckdb" --workers 2 --out "$work/local-runs"
    else
      timed cluster "$root/spark/cluster.sh" submit --dir "$cluster" "$work/spec.yaml" --db "$work/cluster.duckdb" \
        --out "$work/cluster-runs"
    fi
  done
done
for what in local cluster; do
  "$root/overparam" results "$work/$what.duckdb" --sql "SELECT config_hash, final_loss FROM runs ORDER BY config_hash" \
    --csv "$work/$what.csv" >/dev/null
  # each run's own training time (summary.seconds) of the last repetition: the per-run cost apart from startup
  "$root/overparam" results "$work/$what.duckdb" \
    --sql "SELECT avg(CAST(json_extract(summary, '$.seconds') AS DOUBLE)) AS s FROM runs" --csv "$work/$what.seconds" >/dev/null
done
"$py" - "$work" <<'PY'
import statistics, sys
w = sys.argv[1]
local = statistics.median(float(x) for x in open(f"{w}/local.times").read().split())
cluster = statistics.median(float(x) for x in open(f"{w}/cluster.times").read().split())
same = open(f"{w}/local.csv").read() == open(f"{w}/cluster.csv").read()
print(f"median wall time: in-process (2 workers) {local:.2f} s, standalone cluster (2 workers x 1 core) {cluster:.2f} s")
print(f"cluster overhead: {100 * (cluster / local - 1):+.1f} % (ratio {cluster / local:.3f}); identical final losses: {same}")
per_run = {k: float(open(f"{w}/{k}.seconds").read().split()[-1]) for k in ("local", "cluster")}
print(f"mean training time per run (last repetition): in-process {per_run['local']:.2f} s, cluster {per_run['cluster']:.2f} s"
      f" ({100 * (per_run['cluster'] / per_run['local'] - 1):+.1f} %); the rest of the difference is the submission's"
      " fixed cost (driver JVM, Spark context, executor JVMs)")
PY
