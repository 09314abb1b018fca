"""Times the native engine's SGD step in numpy and, when importable, PyTorch: same networks, batch,
float32, threads; forward, backward and update (weight decay on weights only), no importance.
A net is an MLP's layer sizes (784-512-512-512-10) or cnn-small on an image shape (cnn-small:3x32x32),
which PyTorch alone times, plainly and with each sample's gradient norm per layer computed the usual
PyTorch way (torch.func vmap of grad; key "<net>+importance"), the update then taken from their mean.
Prints one JSON object: {"threads": T, "batch": B, "peers": {"numpy": {net: ms_per_step} | {"unavailable": why}, ...}}.

Run by src/bench (with the project's .venv python, or $SI_PEER_PYTHON), or by hand:
    .venv/bin/python python/bench_peer.py --threads 2 --nets 784-512-512-512-10,3072-512-512-512-10
    $SI_PEER_PYTHON python/bench_peer.py --threads 1 --nets cnn-small:1x28x28,cnn-small:3x32x32
"""
import argparse
import json
import os
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nets", default="784-512-512-512-10,3072-512-512-512-10", help="comma-separated layer sizes")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--steps", type=int, default=10, help="steps per timed repetition (one pass over the pool)")
    p.add_argument("--warmup", type=int, default=5, help="untimed repetitions first")
    p.add_argument("--reps", type=int, default=7, help="timed repetitions; the median is reported")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    return p.parse_args()


ARGS = parse_args()
# BLAS reads its thread count when it loads, so this must precede importing numpy or torch.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402


def median_ms(step, pool):
    """Median milliseconds per step over ARGS.reps repetitions of ARGS.steps steps each."""
    for _ in range(ARGS.warmup):
        for s in range(ARGS.steps):
            step(pool[s * ARGS.batch:(s + 1) * ARGS.batch])
    times = []
    for _ in range(ARGS.reps):
        start = time.perf_counter()
        for s in range(ARGS.steps):
            step(pool[s * ARGS.batch:(s + 1) * ARGS.batch])
        times.append((time.perf_counter() - start) * 1000 / ARGS.steps)
    return statistics.median(times)


def init(sizes, rng):
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6 / (fan_in + fan_out))
        layers.append((rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32), np.zeros(fan_out, np.float32)))
    return layers


def numpy_peer(sizes, x, y):
    layers = init(sizes, np.random.default_rng(1))
    lr, wd = np.float32(ARGS.lr), np.float32(ARGS.weight_decay)

    def step(batch):
        acts = [x[batch]]
        for d, (w, b) in enumerate(layers):
            z = acts[-1] @ w + b
            acts.append(np.maximum(z, 0, out=z) if d + 1 < len(layers) else z)
        logits = acts.pop()
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(batch)), y[batch]] -= 1
        delta, scale = p, lr / len(batch)
        for d in range(len(layers) - 1, -1, -1):
            w, b = layers[d]
            prev = (delta @ w.T) * (acts[d] > 0) if d > 0 else None
            w *= 1 - lr * wd
            w -= scale * (acts[d].T @ delta)
            b -= scale * delta.sum(axis=0)
            delta = prev

    return step


def torch_peer(sizes, x, y):
    import torch

    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(1)
    mods = []
    for d, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(torch.nn.Linear(fan_in, fan_out))
        if d + 2 < len(sizes):
            mods.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*mods)
    weights = [m.weight for m in net if isinstance(m, torch.nn.Linear)]
    biases = [m.bias for m in net if isinstance(m, torch.nn.Linear)]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": ARGS.weight_decay}, {"params": biases, "weight_decay": 0}], lr=ARGS.lr)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))

    def step(batch):
        idx = torch.from_numpy(batch)
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(net(tx[idx]), ty[idx]).backward()
        opt.step()

    return step


def torch_cnn_small(shape, classes):
    """cnn-small as src/model/network.ts defines it (the init does not matter for timing)."""
    import torch

    c, h, w = shape
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(c, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * (h // 4) * (w // 4), 512), nn.ReLU(), nn.Linear(512, classes),
    )


def torch_cnn_peers(shape, x, y):
    """(plain step, step with per-sample gradient norms by torch.func) for cnn-small."""
    import torch
    from torch.func import functional_call, grad, vmap

    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(1)
    net = torch_cnn_small(shape, int(y.max()) + 1 if len(y) else 10)
    weights = [p for n, p in net.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in net.named_parameters() if n.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": ARGS.weight_decay}, {"params": biases, "weight_decay": 0}], lr=ARGS.lr)
    tx = torch.from_numpy(x).reshape(-1, *shape)
    ty = torch.from_numpy(y.astype(np.int64))

    def plain(batch):
        idx = torch.from_numpy(batch)
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(net(tx[idx]), ty[idx]).backward()
        opt.step()

    params = {n: p.detach().clone() for n, p in net.named_parameters()}

    def sample_loss(p, xi, yi):
        return torch.nn.functional.cross_entropy(functional_call(net, p, (xi.unsqueeze(0),)), yi.unsqueeze(0))

    per_sample = vmap(grad(sample_loss), in_dims=(None, 0, 0))
    layers = sorted({n.rsplit(".", 1)[0] for n in params})

    def with_importance(batch):
        idx = torch.from_numpy(batch)
        g = per_sample(params, tx[idx], ty[idx])
        # β per sample and layer, up to (η/m)²: the squared norm over the layer's weight and bias.
        beta = torch.stack([g[f"{l}.weight"].flatten(1).square().sum(1) + g[f"{l}.bias"].square().sum(1) for l in layers], 1)
        beta.sum().item()
        with torch.no_grad():
            for n, p in params.items():
                p -= ARGS.lr * (g[n].mean(0) + (ARGS.weight_decay * p if n.endswith("weight") else 0))

    return plain, with_importance


def main():
    rng = np.random.default_rng(0)
    pool = rng.permutation(ARGS.batch * ARGS.steps)
    peers = {"numpy": {}, "torch": {}}
    for spec in ARGS.nets.split(","):
        if spec.startswith("cnn-small:"):
            shape = [int(s) for s in spec.split(":")[1].split("x")]
            x = rng.random((len(pool), int(np.prod(shape))), dtype=np.float32)
            y = rng.integers(0, 10, len(pool)).astype(np.int32)
            try:
                plain, with_importance = torch_cnn_peers(shape, x, y)
            except ImportError as err:
                peers["torch"] = {"unavailable": f"PyTorch not importable ({err}); point SI_PEER_PYTHON at a python that has it"}
                continue
            if "unavailable" not in peers["torch"]:
                peers["torch"][spec] = median_ms(plain, pool)
                peers["torch"][spec + "+importance"] = median_ms(with_importance, pool)
            continue
        sizes = [int(s) for s in spec.split("-")]
        x = rng.random((len(pool), sizes[0]), dtype=np.float32)
        y = rng.integers(0, sizes[-1], len(pool)).astype(np.int32)
        peers["numpy"][spec] = median_ms(numpy_peer(sizes, x, y), pool)
        try:
            peers["torch"][spec] = median_ms(torch_peer(sizes, x, y), pool)
        except ImportError as err:
            peers["torch"] = {"unavailable": f"PyTorch not importable ({err}); point SI_PEER_PYTHON at a python that has it"}
    versions = {"numpy": np.__version__}
    if "unavailable" not in peers["torch"]:
        import torch

        versions["torch"] = torch.__version__
    json.dump({"threads": ARGS.threads, "batch": ARGS.batch, "versions": versions, "peers": peers}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
