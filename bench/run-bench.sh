#!/usr/bin/env bash
# The performance benchmark: in one session, overparam's GD step on the wide MLP (n=2048, d=784,
# hidden 2048,2048, 10 outputs, mse, relu) against this machine's dgemm rate (efficiency) and against
# numpy doing the same step (bench/numpy_gd_step.py), alternating the two RUNS times; prints every run
# and the medians. Nothing else should run on the machine meanwhile: a parallel build halves every figure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
jar="$root/bench/target/overparam-bench.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests -pl bench -am install)
fi
unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS || true
py="${PYTHON:-python3}"
java_out=(); numpy_out=()
for ((r = 1; r <= runs; r++)); do
  j=$(java -Xmx4g -Dorg.bytedeco.javacpp.maxBytes=16g -jar "$jar" --repeats 5)
  p=$("$py" "$root/bench/numpy_gd_step.py" --repeats 5)
  echo "run $r overparam: $j"
  echo "run $r numpy:     $p"
  java_out+=("$j"); numpy_out+=("$p")
done
"$py" - "${java_out[@]}" "${numpy_out[@]}" <<'PY'
import json, statistics, sys
vals = [json.loads(a) for a in sys.argv[1:]]
half = len(vals) // 2
java, numpy = vals[:half], vals[half:]
js = [v["step_seconds_median"] for v in java]
ns = [v["step_seconds_median"] for v in numpy]
eff = [v["efficiency"] for v in java]
gf = [v["dgemm_gflops"] for v in java]
ratio = [a / b for a, b in zip(js, ns)]
print(f"dgemm rate (4096^3, {len(gf)} runs): median {statistics.median(gf):.1f} GFLOPS, range {min(gf):.1f}-{max(gf):.1f}")
print(f"overparam GD step: median {statistics.median(js):.3f} s (runs: {', '.join(f'{x:.3f}' for x in js)})")
print(f"numpy GD step:     median {statistics.median(ns):.3f} s (runs: {', '.join(f'{x:.3f}' for x in ns)})")
print(f"efficiency (step FLOPs / dgemm rate / step time): median {statistics.median(eff):.3f} (target >= 0.8)")
print(f"overparam / numpy time ratio: median {statistics.median(ratio):.3f} (target <= 0.9), runs {', '.join(f'{x:.3f}' for x in ratio)}")
PY
