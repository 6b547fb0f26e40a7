# PyTorch CPU reference for bench/train.ts: the same MLP training step (Linear+ReLU layers, mean
# cross-entropy, SGD with momentum) on random data of the same shapes. Prints one JSON line.
# Usage: python3 train_torch.py LAYERS(comma list) BATCH STEPS THREADS [WARMUP [WEIGHT_DECAY]]
# STEPS timed steps follow WARMUP untimed ones (default min(20, STEPS // 4) taken from STEPS).
import json
import sys
import time

import torch

layers = [int(x) for x in sys.argv[1].split(",")]
batch, steps, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
warmup = int(sys.argv[5]) if len(sys.argv) > 5 else None
weight_decay = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
torch.set_num_threads(threads)
torch.manual_seed(0)

mods = []
for i in range(1, len(layers)):
    mods.append(torch.nn.Linear(layers[i - 1], layers[i]))
    if i < len(layers) - 1:
        mods.append(torch.nn.ReLU())
model = torch.nn.Sequential(*mods)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=weight_decay)
loss_fn = torch.nn.CrossEntropyLoss()
n = 4096
xs = torch.rand(n, layers[0])
ys = torch.randint(0, layers[-1], (n,))

times = []
total = steps if warmup is None else warmup + steps
for step in range(total):
    idx = torch.randint(0, n, (batch,))
    t0 = time.perf_counter()
    x, y = xs.index_select(0, idx), ys.index_select(0, idx)
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    times.append(time.perf_counter() - t0)
warm = min(20, steps // 4) if warmup is None else warmup
t = sorted(times[warm:])
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "median_ms": t[len(t) // 2] * 1e3}))
