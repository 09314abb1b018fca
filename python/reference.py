"""Golden values for one SGD pass on a tiny fixed MLP, independent of the TypeScript code.

Applies the definitions literally in float64 numpy: each sample's full gradient g_i is
materialised by backpropagation, phi_i = -(lr/m) g_i, beta_{i,d} = ||phi_i||^2 over layer d's
weights and biases, nll/correct at the sample's own step before the update, then
theta <- theta - lr((1/m) sum g_i + weight_decay * theta_W). The fixture below is repeated in
test/engine/conformance.test.ts, which checks every engine against the JSON this writes.

Run:  .venv/bin/python python/reference.py   (writes test/fixtures/golden-step.json)
"""
import json
import pathlib

import numpy as np

INPUT_SIZE, HIDDEN, CLASSES = 4, [5, 3], 3
# Multiples of 1/16 and 1/8: exact in float32, so every engine starts from these very values.
PARAMS = [-0.125, -0.5, 0.0, 0.5, -0.6875, -0.625, 0.3125, -0.5625, -0.0625, 0.375, -0.6875, 0.25, -0.375, -0.6875,
          -0.625, 0.0625, 0.0625, -0.625, -0.3125, -0.625, 0.3125, 0.0625, 0.25, 0.375, 0.1875, -0.3125, 0.5, 0.5,
          0.375, -0.6875, 0.375, 0.375, 0.0, -0.6875, -0.3125, -0.6875, 0.3125, -0.5, -0.1875, 0.0625, 0.5, 0.3125,
          0.25, 0.375, -0.1875, 0.3125, 0.5625, -0.4375, -0.5625, 0.375, 0.375, 0.5, -0.375, -0.0625, -0.5625]
X = [[-1.5, -1.625, -0.375, 1.875], [1.375, 0.5, 1.625, 1.625], [0.875, 0.375, -0.125, -0.625],
     [-0.125, -1.375, 0.375, 1.875], [0.625, 1.5, 0.25, -1.5]]
Y = [0, 0, 2, 1, 1]
ORDER = [3, 0, 4, 1, 2]  # batches of 2: {3, 0}, {4, 1}, then the partial batch {2}
HYPER = {"lr": 0.5, "weightDecay": 0.01, "batchSize": 2, "importance": True}

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "golden-step.json"


def layer_shapes():
    sizes = [INPUT_SIZE, *HIDDEN, CLASSES]
    return list(zip(sizes[:-1], sizes[1:]))


def unflatten(theta):
    """(W [in, out], b [out]) views per layer, in the flat layout of src/model/spec.ts."""
    layers, offset = [], 0
    for fan_in, fan_out in layer_shapes():
        w = theta[offset:offset + fan_in * fan_out].reshape(fan_in, fan_out)
        offset += fan_in * fan_out
        b = theta[offset:offset + fan_out]
        offset += fan_out
        layers.append((w, b))
    return layers


def forward(theta, x):
    inputs, pre = [], []
    a = x
    layers = unflatten(theta)
    for d, (w, b) in enumerate(layers):
        inputs.append(a)
        z = a @ w + b
        pre.append(z)
        a = np.maximum(z, 0) if d + 1 < len(layers) else z
    logits = pre[-1]
    shifted = logits - logits.max()
    log_probs = shifted - np.log(np.exp(shifted).sum())
    return inputs, pre, log_probs


def sample_gradient(theta, x, y):
    """Per-layer (grad W, grad b) of one sample's loss, by explicit backpropagation."""
    inputs, pre, log_probs = forward(theta, x)
    layers = unflatten(theta)
    delta = np.exp(log_probs) - np.eye(CLASSES)[y]
    grads = [None] * len(layers)
    for d in range(len(layers) - 1, -1, -1):
        grads[d] = (np.outer(inputs[d], delta), delta.copy())
        if d > 0:
            delta = (layers[d][0] @ delta) * (pre[d - 1] > 0)
    return grads, log_probs, pre


def flatten(grads):
    return np.concatenate([np.concatenate([gw.ravel(), gb]) for gw, gb in grads])


def weight_mask():
    return flatten([(np.ones((i, o)), np.zeros(o)) for i, o in layer_shapes()])


def train():
    theta = np.array(PARAMS, dtype=np.float64)
    x_all, n, depth = np.array(X, dtype=np.float64), len(Y), len(HIDDEN) + 1
    lr, decay, size = HYPER["lr"], HYPER["weightDecay"], HYPER["batchSize"]
    importance, nll, correct = np.zeros((n, depth)), np.zeros(n), np.zeros(n, dtype=int)
    smallest_relu_input = np.inf
    for start in range(0, len(ORDER), size):
        batch = ORDER[start:start + size]
        m = len(batch)
        grad_sum = np.zeros_like(theta)
        for i in batch:
            grads, log_probs, pre = sample_gradient(theta, x_all[i], Y[i])
            smallest_relu_input = min(smallest_relu_input, *(np.abs(z).min() for z in pre[:-1]))
            nll[i] = -log_probs[Y[i]]
            correct[i] = int(np.argmax(pre[-1]) == Y[i])
            for d, (gw, gb) in enumerate(grads):
                phi = -(lr / m) * np.concatenate([gw.ravel(), gb])
                importance[i, d] = phi @ phi
            grad_sum += flatten(grads)
        theta = theta - lr * (grad_sum / m + decay * weight_mask() * theta)
    # A pre-activation near 0 would make the ReLU kink, and float32 rounding, decide the result.
    assert smallest_relu_input > 1e-3, smallest_relu_input
    return theta, importance, nll, correct


def main():
    theta, importance, nll, correct = train()
    golden = {
        "about": "Written by python/reference.py (float64 numpy, per-sample gradients materialised); do not edit.",
        "spec": {"inputSize": INPUT_SIZE, "hidden": HIDDEN, "classes": CLASSES},
        "hyper": HYPER,
        "params": PARAMS,
        "x": X,
        "y": Y,
        "order": ORDER,
        "expected": {
            "importance": importance.tolist(),
            "nll": nll.tolist(),
            "correct": correct.tolist(),
            "params": theta.tolist(),
        },
    }
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print(json.dumps(golden["expected"], indent=1))


if __name__ == "__main__":
    main()
