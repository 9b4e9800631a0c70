#!/usr/bin/env python3
"""PyTorch peer for `overparam ntk`: the empirical NTK of the same nn.Sequential computed the way torch
users do it — per-sample Jacobians with functorch's vmap(jacrev) (torch.func on torch >= 2.0), then
J J^T summed over all weights and biases — timed next to `overparam ntk` on the same model and data.
Run with Debian's /usr/bin/python3 (apt-get install python3-torch); prints one JSON line.

    /usr/bin/python3 bench/torch_ntk.py [--n 500] [--widths 512,512] [--overparam ./overparam]
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import torch

try:
    from torch.func import functional_call, jacrev, vmap
except ImportError:  # torch < 2.0
    from functorch import jacrev, vmap
    from torch.nn.utils.stateless import functional_call

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=500)
ap.add_argument("--d", type=int, default=784)
ap.add_argument("--widths", default="512,512")
ap.add_argument("--overparam", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "overparam"))
a = ap.parse_args()

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
widths = [a.d] + [int(w) for w in a.widths.split(",")] + [1]
layers = []
for i in range(len(widths) - 1):
    layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
    if i < len(widths) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
x = torch.rand(a.n, a.d)

tmp = tempfile.mkdtemp()
np.savez(os.path.join(tmp, "model.npz"), **{k: v.detach().numpy() for k, v in model.state_dict().items()})
np.save(os.path.join(tmp, "X.npy"), x.numpy())

params = {k: v.detach() for k, v in model.named_parameters()}


def f(p, xi):
    return functional_call(model, p, (xi.unsqueeze(0),)).squeeze(0)


t0 = time.perf_counter()
jac = vmap(jacrev(f), (None, 0))(params, x)  # dict: name -> (n, 1, *shape)
g = sum(j.reshape(a.n, -1) @ j.reshape(a.n, -1).T for j in jac.values())
t_torch = time.perf_counter() - t0

t1 = time.perf_counter()
subprocess.run([a.overparam, "ntk", "--model", os.path.join(tmp, "model.npz"), "--activation", "relu", "--data",
                os.path.join(tmp, "X.npy"), "--out", os.path.join(tmp, "G.npy")], check=True, stdout=subprocess.DEVNULL)
t_ours = time.perf_counter() - t1
ours = np.load(os.path.join(tmp, "G.npy"))
err = float(np.abs(ours - g.numpy()).max() / np.abs(g.numpy()).max())
print(json.dumps({"torch_version": torch.__version__, "n": a.n, "widths": widths, "torch_vmap_jacrev_seconds": t_torch,
                  "overparam_ntk_process_seconds": t_ours, "speedup": t_torch / t_ours,
                  "max_relative_difference": err, "torch_threads": torch.get_num_threads()}))
