#!/usr/bin/env bash
# A small CNN (overparam's `--arch cnn` of randomization: conv 16, avgpool, conv 32, avgpool, dense 10 on 28x28) against
# PyTorch in float64 on the same threads, measured in the same session: one full-batch GD step on BATCH images and the
# empirical NTK (summed over outputs) of NTK_N of them, torch by functorch's vmap(jacrev) contraction. bench/torch_cnn.py
# writes the model and data and times torch; CnnBench times overparam in process on the same files. Alternates RUNS
# times (default 3) and prints medians and ratios (target: step ratio <= 1, NTK ratio < 1). Nothing else should run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
threads="${THREADS:-2}"
py="${PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
arch="conv:16:3,relu,avgpool:2,conv:32:3,relu,avgpool:2,flatten,dense:10"
[[ -f "$root/bench/target/overparam-bench.jar" && -z "$(find "$root/core/src/main" "$root/bench/src" -newer "$root/bench/target/overparam-bench.jar" -type f -print -quit)" ]] \
  || (cd "$root" && mvn -B -q -o -DskipTests -pl bench -am install)
t=(); o=()
for ((r = 1; r <= runs; r++)); do
  tj=$("$py" "$root/bench/torch_cnn.py" --out "$work" --batch "${BATCH:-256}" --ntk-n "${NTK_N:-100}" --threads "$threads")
  oj=$(java -Xmx4g -cp "$root/bench/target/overparam-bench.jar" org.overparam.bench.CnnBench "$work" "$arch" \
        --threads "$threads" --ntk-n "${NTK_N:-100}")
  echo "run $r: torch $tj"; echo "run $r: overparam $oj"
  t+=("$tj"); o+=("$oj")
done
"$py" - "$(printf '%s\n' "${t[@]}")" "$(printf '%s\n' "${o[@]}")" <<'PY'
import json, statistics, sys
t = [json.loads(l) for l in sys.argv[1].splitlines()]
o = [json.loads(l) for l in sys.argv[2].splitlines()]
for key, name in (("gd_step_seconds", "GD step"), ("ntk_seconds", "empirical NTK")):
    a = statistics.median(x[key] for x in o); b = statistics.median(x[key] for x in t)
    print(f"{name}: overparam {a:.4g} s, torch {b:.4g} s, ratio {a / b:.3f} (per run: "
          + ", ".join(f"{x[key] / y[key]:.2f}" for x, y in zip(o, t)) + ")")
print("NTK traces (same model, same images): overparam %.12g, torch %.12g" % (o[-1]["ntk_trace"], t[-1]["ntk_trace"]))
PY
