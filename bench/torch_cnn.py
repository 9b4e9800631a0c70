#!/usr/bin/env python3
"""PyTorch peer for a small CNN (float64, the same threads): one full-batch GD step (forward, backward of our mse,
update) on B MNIST-sized images, and the empirical NTK of N of them by functorch's vmap(jacrev) contraction (torch.func
on torch >= 2.0) summed over outputs. Writes the model, images and labels for overparam's CnnBench, and prints one JSON
line with median seconds. Run with Debian's /usr/bin/python3 (apt-get install python3-torch).

    /usr/bin/python3 bench/torch_cnn.py --out DIR [--batch 256] [--ntk-n 100] [--repeats 5] [--threads 2]
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import torch

try:
    from torch.func import functional_call, jacrev, vmap
except ImportError:  # torch < 2.0
    from functorch import jacrev, vmap
    from torch.nn.utils.stateless import functional_call

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--batch", type=int, default=256)
ap.add_argument("--ntk-n", type=int, default=100)
ap.add_argument("--repeats", type=int, default=5)
ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
# overparam's --arch conv:16:3,relu,avgpool:2,conv:32:3,relu,avgpool:2,flatten,dense:10 (randomization --arch cnn)
model = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.AvgPool2d(2),
                            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.AvgPool2d(2),
                            torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 10))
x = torch.rand(a.batch, 1, 28, 28)
y = torch.randn(a.batch, 10)
os.makedirs(a.out, exist_ok=True)
np.savez(os.path.join(a.out, "state.npz"), **{k: v.detach().numpy() for k, v in model.state_dict().items()})
np.save(os.path.join(a.out, "X.npy"), x.numpy())
np.save(os.path.join(a.out, "Y.npy"), y.numpy())

opt = torch.optim.SGD(model.parameters(), lr=1e-3)
steps = []
for r in range(a.repeats + 2):
    t0 = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    loss = 0.5 * ((model(x) - y) ** 2).sum() / a.batch
    loss.backward()
    opt.step()
    steps.append(time.perf_counter() - t0)

params = {k: v.detach() for k, v in model.named_parameters()}
xs = x[: a.ntk_n]


def f(p, xi):
    return functional_call(model, p, (xi.unsqueeze(0),)).squeeze(0)


ntk = []
for r in range(max(1, a.repeats // 2) + 1):
    t0 = time.perf_counter()
    jac = vmap(jacrev(f), (None, 0))(params, xs)  # each (n, k, *shape)
    j = torch.cat([t.reshape(t.shape[0], t.shape[1], -1) for t in jac.values()], dim=2)  # (n, k, P)
    g = torch.einsum("iap,jap->ij", j, j)
    ntk.append(time.perf_counter() - t0)
print(json.dumps({"bench": "torch_cnn", "threads": torch.get_num_threads(), "batch": a.batch,
                  "gd_step_seconds": statistics.median(steps[2:]), "ntk_n": xs.shape[0],
                  "ntk_seconds": statistics.median(ntk[1:]), "ntk_trace": float(torch.trace(g))}))
