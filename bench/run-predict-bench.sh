#!/usr/bin/env bash
# Kernel regression benchmarks ('overparam predict --steps inf'), three parts; nothing else should run meanwhile.
#  1. The exact path (analytic NTK ensemble of a depth-1 relu net, d = 784, 1000 test points: kernels, Cholesky, test
#     mean and covariance) against its GEMM/Cholesky bound measured in the same process (PredictBench), at
#     SIZES (default 5000,10000,20000), medians of REPEATS (default 3) runs; then the Nystrom solver (--centres
#     CENTRES, default 2000) at the largest size beside it: total time and test mse.
#  2. The largest n the exact path reaches on this machine: one run at LARGEST (default 25000), memory as
#     ./overparam sizes it (off-heap up to 2/3 of RAM); prints its time or the one-line error.
#  3. The Nystrom solver on the two-worker standalone cluster (spark/cluster.sh submit predict) against the same run
#     in-process, n = SPARK_N (default 200000, d = 10, M = 1000): seconds per CG iteration and total wall time,
#     RUNS (default 3) each, and that both give the same predictions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
sizes="${SIZES:-5000,10000,20000}"
repeats="${REPEATS:-3}"
centres="${CENTRES:-2000}"
largest="${LARGEST:-25000}"
spark_n="${SPARK_N:-200000}"
runs="${RUNS:-3}"
work="$(mktemp -d)"
cluster="$work/cluster"
trap '"$root/spark/cluster.sh" stop --dir "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/overparam" --version >/dev/null   # builds the jars when needed (not timed)
"$root/spark/overparam-spark" --version >/dev/null
[[ -f "$root/bench/target/overparam-bench.jar" ]] || (cd "$root" && mvn -B -q -DskipTests -pl bench -am install)
mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
offheap_mb=$(( mem_kb / 1024 * 2 / 3 ))

echo "== 1. exact path against its GEMM/Cholesky bound; Nystrom at the largest size"
java -Xmx3g -Dorg.bytedeco.javacpp.maxBytes=${offheap_mb}m -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
  -cp "$root/bench/target/overparam-bench.jar" org.overparam.bench.PredictBench --n "$sizes" --repeats "$repeats" \
  --centres "$centres"

echo "== 2. the largest exact n: $largest"
n_all=$((largest + 1000))
"$root/overparam" predict --kind ntk --depth 1 --dataset "margin:n=$n_all,d=784,gamma=0.1" \
  --test-split "$("$py" -c "print(1000 / $n_all)")" --steps inf --ridge 1e-3 --out "$work/largest" --json \
  > "$work/largest.json" || echo "n = $largest: did not run (see the error above)"
[[ -s "$work/largest.json" ]] && "$py" - "$work/largest.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["exact"]
print(f"n = {r['n']}: {e['method']}, kernels {e['kernel_seconds']:.1f} s, solve {e['solve_seconds']:.1f} s, "
      f"whole run {r['seconds']:.1f} s, test mse {r['points'][0]['test_mse']:.4g}")
PY

echo "== 3. Nystrom on the standalone cluster against in-process, n = $spark_n"
"$root/spark/cluster.sh" start --dir "$cluster" >/dev/null
n_all=$((spark_n + 2000))
args=(--kind ntk --depth 1 --dataset "margin:n=$n_all,d=10,gamma=0.1" --test-split "$("$py" -c "print(2000 / $n_all)")"
  --steps inf --ridge 1e-3 --centres 1000 --json)
for ((r = 1; r <= runs; r++)); do
  rm -rf "$work/local" "$work/onspark"
  "$root/overparam" predict "${args[@]}" --out "$work/local" > "$work/local.json"
  "$root/spark/cluster.sh" submit --dir "$cluster" predict "${args[@]}" --out "$work/onspark" > "$work/onspark.json" \
    2>"$work/onspark.log" || { cat "$work/onspark.log" >&2; exit 1; }
  "$py" - "$work" <<'PY' | tee -a "$work/cluster.times"
import json, sys, numpy as np
w = sys.argv[1]
a, b = (json.load(open(f"{w}/{x}.json")) for x in ("local", "onspark"))
same = all(np.array_equal(np.load(f"{w}/local/predictions.npz")[k], np.load(f"{w}/onspark/predictions.npz")[k])
           for k in ("train_mean", "test_mean"))
sa, sb = a["solver"], b["solver"]
print(f"{sa['seconds_per_iteration']} {sb['seconds_per_iteration']} {a['seconds']} {b['seconds']} {sb['kernel_seconds']} {sa['kernel_seconds']} {int(same)}")
PY
done
"$py" - "$work/cluster.times" <<'PY'
import sys, statistics as st
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
col = lambda i: st.median(r[i] for r in rows)
print(f"per CG iteration: in-process {col(0):.3f} s, cluster {col(1):.3f} s ({col(1) / col(0):.2f}x); "
      f"K_nM: in-process {col(5):.1f} s, cluster {col(4):.1f} s (executors' launch included); whole run: "
      f"in-process {col(2):.1f} s, cluster {col(3):.1f} s (driver JVM excluded); medians of {len(rows)}; "
      f"predictions bit-identical in {sum(int(r[6]) for r in rows)} of {len(rows)} runs")
PY
