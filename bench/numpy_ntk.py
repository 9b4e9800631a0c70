#!/usr/bin/env python3
"""numpy peer for `overparam ntk`: the empirical NTK Gram of a ReLU MLP state dict by the structured
formula Theta = sum_l (D_l D_l^T) * (A_{l-1} A_{l-1}^T + 1), written the way a competent numpy user would
(one forward pass, one backward pass for the scalar output, then two matmuls per layer). Times the whole
job like the CLI does: load model and data, compute, save G.npy. Prints one JSON line.

    python3 bench/numpy_ntk.py --model m.npz --data X.npy --out G.npy
    python3 bench/numpy_ntk.py --make-inputs DIR [--n 4000]   # writes DIR/model.npz (784-2048-2048-1) and DIR/X.npy
"""
import argparse
import json
import os
import time

import numpy as np


def make_inputs(d, n, seed=0):
    rng = np.random.default_rng(seed)
    widths = [784, 2048, 2048, 1]
    sd = {}
    for l in range(3):
        bound = 1.0 / np.sqrt(widths[l])
        sd[f"{2 * l}.weight"] = rng.uniform(-bound, bound, (widths[l + 1], widths[l]))
        sd[f"{2 * l}.bias"] = rng.uniform(-bound, bound, (widths[l + 1],))
    os.makedirs(d, exist_ok=True)
    np.savez(os.path.join(d, "model.npz"), **sd)
    x = rng.random((n, 784))
    np.save(os.path.join(d, "X.npy"), x)


def ntk(model, data, out):
    t0 = time.perf_counter()
    sd = np.load(model)
    keys = sorted({k.rsplit(".", 1)[0] for k in sd.files}, key=lambda p: [int(t) for t in p.split(".") if t.isdigit()])
    ws = [sd[p + ".weight"] for p in keys]
    bs = [sd[p + ".bias"] for p in keys]
    x = np.load(data)
    # forward, keeping layer inputs and relu masks
    inputs, masks = [x], []
    h = x
    for l, (w, b) in enumerate(zip(ws, bs)):
        z = h @ w.T + b
        if l < len(ws) - 1:
            masks.append(z > 0)
            h = np.maximum(z, 0)
            inputs.append(h)
    # backward of the scalar output: D_L = 1, D_{l-1} = (D_l W_l) * relu'(Z_{l-1})
    n = x.shape[0]
    deltas = [None] * len(ws)
    deltas[-1] = np.ones((n, 1))
    for l in range(len(ws) - 1, 0, -1):
        deltas[l - 1] = (deltas[l] @ ws[l]) * masks[l - 1]
    g = np.zeros((n, n))
    for l in range(len(ws)):
        g += (deltas[l] @ deltas[l].T) * (inputs[l] @ inputs[l].T + 1.0)
    t1 = time.perf_counter()
    np.save(out, g)
    t2 = time.perf_counter()
    return {"peer": "numpy", "numpy_version": np.__version__, "n": n, "seconds_compute": t1 - t0,
            "seconds_total": t2 - t0}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--data")
    ap.add_argument("--out", default="G_numpy.npy")
    ap.add_argument("--make-inputs")
    ap.add_argument("--n", type=int, default=4000)
    a = ap.parse_args()
    if a.make_inputs:
        make_inputs(a.make_inputs, a.n)
    else:
        print(json.dumps(ntk(a.model, a.data, a.out)))
