#!/usr/bin/env bash
# Whole-process benchmark of `overparam ntk` against numpy's structured formula (bench/numpy_ntk.py) on
# the same model and data: a 784-2048-2048-1 ReLU state dict and n = N (default 4000) inputs; each side
# loads the files, computes the n x n Gram and saves it as .npy. Alternates the two RUNS times (default 3)
# and prints the medians and the ratio. Then (unless SKIP_NTKBENCH=1) runs NtkBench (structured vs direct Jacobian route, GEMM
# bound, analytic NTK, lambda_min). Nothing else should run on the machine meanwhile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
n="${N:-4000}"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$py" "$root/bench/numpy_ntk.py" --make-inputs "$work" --n "$n"
"$root/overparam" --version >/dev/null   # build the jar if needed (not timed)
[[ -f "$root/bench/target/overparam-bench.jar" ]] || (cd "$root" && mvn -B -q -DskipTests -pl bench -am install)
ours=(); theirs=()
for ((r = 1; r <= runs; r++)); do
  t0=$(date +%s.%N)
  "$root/overparam" ntk --model "$work/model.npz" --activation relu --data "$work/X.npy" --out "$work/G_overparam.npy" >/dev/null
  t1=$(date +%s.%N)
  "$py" "$root/bench/numpy_ntk.py" --model "$work/model.npz" --data "$work/X.npy" --out "$work/G_numpy.npy" >/dev/null
  t2=$(date +%s.%N)
  o=$("$py" -c "print($t1 - $t0)"); p=$("$py" -c "print($t2 - $t1)")
  printf 'run %d: overparam ntk %.2f s, numpy %.2f s (whole processes, wall clock)\n' "$r" "$o" "$p"
  ours+=("$o"); theirs+=("$p")
done
"$py" - "$work/G_overparam.npy" "$work/G_numpy.npy" "${ours[*]}" "${theirs[*]}" <<'PY'
import sys, statistics, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
ours = [float(x) for x in sys.argv[3].split()]
theirs = [float(x) for x in sys.argv[4].split()]
print(f"max |G_overparam - G_numpy| / max |G_numpy| = {np.abs(a - b).max() / np.abs(b).max():.2e}")
print(f"overparam ntk: median {statistics.median(ours):.2f} s; numpy: median {statistics.median(theirs):.2f} s; "
      f"ratio {statistics.median(ours) / statistics.median(theirs):.3f} (target <= 1)")
PY
[[ "${SKIP_NTKBENCH:-0}" == 1 ]] && exit 0
java -Xmx8g -Dorg.bytedeco.javacpp.maxBytes=16g -cp "$root/bench/target/overparam-bench.jar" org.overparam.bench.NtkBench "$@"
