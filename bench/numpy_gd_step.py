#!/usr/bin/env python3
"""numpy peer benchmark: one full-batch gradient-descent step of an MLP.

Model: d=784 -> 2048 -> 2048 -> 10, ReLU, biases, float64,
loss = (1/(2n)) * sum_i ||h(x_i) - y_i||^2 with n=2048, update
W <- W - lr * grad for every weight and bias. Plain numpy, written the
way a competent numpy user would (X @ W.T + b, masks, grads by matmul).

Usage:
    python3 bench/numpy_gd_step.py [--repeats 7] [--n 2048] [--seed 0]
    python3 bench/numpy_gd_step.py --dgemm [--size 4096]

Threads: numpy's BLAS reads OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (or
MKL_NUM_THREADS for MKL builds) at import time, e.g.
    OPENBLAS_NUM_THREADS=1 python3 bench/numpy_gd_step.py
If none is set, the BLAS uses all cores (reported as os.cpu_count()).

Output: one JSON line on stdout.
"""
import argparse
import io
import json
import os
import statistics
import sys
import time
from contextlib import redirect_stdout

import numpy as np


def blas_name():
    """Best-effort name of the BLAS numpy links against."""
    try:
        cfg = np.show_config(mode="dicts")  # numpy >= 1.26
        b = cfg.get("Build Dependencies", {}).get("blas", {})
        name = b.get("name", "unknown")
        ver = b.get("version")
        return f"{name} {ver}" if ver else name
    except TypeError:
        pass
    except Exception:
        return "unknown"
    try:
        buf = io.StringIO()
        with redirect_stdout(buf):
            np.show_config()
        text = buf.getvalue()
        for key in ("openblas", "mkl", "blis", "accelerate", "atlas"):
            if key in text.lower():
                return key
    except Exception:
        pass
    return "unknown"


def threads():
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        v = os.environ.get(var)
        if v:
            try:
                return int(v)
            except ValueError:
                pass
    return os.cpu_count()


def init_layer(rng, fan_in, fan_out):
    bound = 1.0 / np.sqrt(fan_in)
    W = rng.uniform(-bound, bound, size=(fan_out, fan_in))
    b = rng.uniform(-bound, bound, size=fan_out)
    return W, b


def gd_step(params, X, Y, lr):
    """One full-batch GD step, in place. Returns the loss before the update."""
    (W1, b1), (W2, b2), (W3, b3) = params
    n = X.shape[0]
    # forward
    Z1 = X @ W1.T + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2.T + b2
    A2 = np.maximum(Z2, 0.0)
    H = A2 @ W3.T + b3
    R = H - Y
    loss = 0.5 * np.sum(R * R) / n
    # backward
    G3 = R / n                      # dL/dH
    dW3 = G3.T @ A2
    db3 = G3.sum(axis=0)
    G2 = G3 @ W3                    # dL/dA2
    G2 *= Z2 > 0                    # dL/dZ2
    dW2 = G2.T @ A1
    db2 = G2.sum(axis=0)
    G1 = G2 @ W2                    # dL/dA1
    G1 *= Z1 > 0                    # dL/dZ1
    dW1 = G1.T @ X
    db1 = G1.sum(axis=0)
    # update
    W1 -= lr * dW1; b1 -= lr * db1
    W2 -= lr * dW2; b2 -= lr * db2
    W3 -= lr * dW3; b3 -= lr * db3
    return loss


def flops_per_step(n, d, h1, h2, k):
    fwd = 2 * n * (d * h1 + h1 * h2 + h2 * k)
    wgrad = 2 * n * (d * h1 + h1 * h2 + h2 * k)
    igrad = 2 * n * (h1 * h2 + h2 * k)   # input-grads of layers 2 and 3 only
    return fwd + wgrad + igrad


def bench_step(args):
    n, d, h1, h2, k = args.n, 784, 2048, 2048, 10
    rng = np.random.default_rng(args.seed)
    X = rng.standard_normal((n, d))
    Y = rng.standard_normal((n, k))
    params = [init_layer(rng, d, h1), init_layer(rng, h1, h2), init_layer(rng, h2, k)]
    for _ in range(2):
        gd_step(params, X, Y, args.lr)
    times, losses = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        losses.append(gd_step(params, X, Y, args.lr))
        times.append(time.perf_counter() - t0)
    F = flops_per_step(n, d, h1, h2, k)
    med = statistics.median(times)
    return {
        "peer": "numpy",
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "blas": blas_name(),
        "threads": threads(),
        "n": n, "d": d, "widths": [h1, h2], "k": k, "dtype": "float64",
        "repeats": args.repeats,
        "step_seconds_median": med,
        "step_seconds_all": times,
        "flops_per_step": F,
        "gflops_median": F / med / 1e9,
        "loss_first_timed": float(losses[0]),
        "loss_last_timed": float(losses[-1]),
    }


def bench_dgemm(args):
    s = args.size
    rng = np.random.default_rng(args.seed)
    A = rng.standard_normal((s, s))
    B = rng.standard_normal((s, s))
    C = A @ B  # warm-up
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        C = A @ B
        times.append(time.perf_counter() - t0)
    del C
    med = statistics.median(times)
    F = 2 * s ** 3
    return {
        "peer": "numpy-dgemm",
        "numpy_version": np.__version__,
        "blas": blas_name(),
        "threads": threads(),
        "size": s,
        "seconds_median": med,
        "seconds_all": times,
        "flops": F,
        "gflops": F / med / 1e9,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--n", type=int, default=2048, help="batch size (default 2048)")
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dgemm", action="store_true", help="time a size x size float64 matmul instead")
    ap.add_argument("--size", type=int, default=4096, help="matrix size for --dgemm")
    args = ap.parse_args()
    res = bench_dgemm(args) if args.dgemm else bench_step(args)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
