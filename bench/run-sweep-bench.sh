#!/usr/bin/env bash
# Parallel sweep benchmark: the same 4-run grid (sphere:n=100,d=10, width 2048, 1500 GD steps) with
# --workers 1 and --workers 2 (one BLAS thread per run either way), into fresh databases; prints both wall
# times and the speed-up (the issue's target: >= 1.8x on 2 cores), and checks both gave the same losses.
# Nothing else should run on the machine meanwhile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/spec.yaml" <<'YAML'
base:
  dataset: "sphere:n=100,d=10"
  steps: 1500
  lr: 1.0
  parameterization: "ntk"
grid:
  hidden: ["2048"]
  seed: [0, 1, 2, 3]
YAML
"$root/overparam" --version >/dev/null
for w in 1 2; do
  t0=$("$py" -c 'import time; print(time.time())')
  "$root/overparam" sweep "$work/spec.yaml" --db "$work/w$w.duckdb" --workers "$w" --out "$work/runs$w" >/dev/null
  t1=$("$py" -c 'import time; print(time.time())')
  echo "workers $w: $("$py" -c "print(round($t1 - $t0, 2))") s"
  echo "$t0 $t1" > "$work/t$w"
done
"$root/overparam" results "$work/w1.duckdb" --sql "SELECT config_hash, final_loss FROM runs ORDER BY config_hash" --csv "$work/r1.csv" >/dev/null
"$root/overparam" results "$work/w2.duckdb" --sql "SELECT config_hash, final_loss FROM runs ORDER BY config_hash" --csv "$work/r2.csv" >/dev/null
"$py" - "$work" <<'PY'
import sys
w = sys.argv[1]
t = [tuple(map(float, open(f"{w}/t{k}").read().split())) for k in (1, 2)]
one, two = t[0][1] - t[0][0], t[1][1] - t[1][0]
same = open(f"{w}/r1.csv").read() == open(f"{w}/r2.csv").read()
print(f"speed-up 2 workers vs 1: {one / two:.2f}x (target >= 1.8); identical final losses: {same}")
PY
