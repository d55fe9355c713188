#!/usr/bin/python3
"""PyTorch peer of io.sensorcast.bench.training.TrainerFitHarness: the same fit on the same shapes.

One fit is one epoch over --windows random windows in shuffled mini-batches: a stacked LSTM (or GRU/RNN)
under a linear head, truncated BPTT with forward = backward length (the state is carried between segments
and detached), the loss summed over a segment's steps and averaged over sequences and outputs as DL4J's
MAE/MSE score it, per-layer L2 clipping of the batch-mean gradient as DL4J's ClipL2PerLayer does it, and
Adam (lr 1e-3, eps 1e-8). Single-threaded. A benchmark peer only: PyTorch is no dependency of the product.

    /usr/bin/python3 src/bench/python/trainer_fit.py [--shapes 32x32x64,64x32x64] [--input 18] [--outputs 5]
        [--windows 256] [--reps 9] [--warmup 3] [--cell lstm] [--loss mae] [--tbptt 0]

(/usr/bin/python3: Debian's python3-torch installs into the system interpreter.)
"""
import argparse
import os
import statistics
import time

import torch


def parse_shape(text):
    h, b, t = (int(v) for v in text.split("x"))
    return h, b, t


class Net(torch.nn.Module):
    def __init__(self, cell, d, h, f):
        super().__init__()
        kind = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell]
        self.rnn = kind(d, h, batch_first=True)
        self.head = torch.nn.Linear(h, f)

    def forward(self, x, state):
        out, state = self.rnn(x, state)
        return self.head(out), state


def detach(state):
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def clip_per_layer(layers, threshold):
    """DL4J's ClipL2PerLayer: scale a layer's whole gradient down to the threshold when its L2 norm exceeds it."""
    for params in layers:
        norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in params))
        if norm > threshold:
            for p in params:
                p.grad.mul_(threshold / norm)


def fit(net, opt, x, y, batch, tbptt, loss, clip, generator):
    layers = [list(net.rnn.parameters()), list(net.head.parameters())]
    n = x.shape[0]
    order = torch.randperm(n, generator=generator)
    batches = (n + batch - 1) // batch
    for b in range(batches):
        idx = order[b * n // batches:(b + 1) * n // batches]
        xb, yb = x[idx], y[idx]
        state = None
        for start in range(0, xb.shape[1], tbptt):
            xs, ys = xb[:, start:start + tbptt], yb[:, start:start + tbptt]
            opt.zero_grad(set_to_none=False)
            out, state = net(xs, state)
            err = out - ys
            per_step = err.abs().mean(dim=2) if loss == "mae" else (err * err).mean(dim=2)
            # DL4J: summed over the segment's steps, divided by the mini-batch size before clipping.
            per_step.sum(dim=1).mean().backward()
            clip_per_layer(layers, clip)
            opt.step()
            state = detach(state)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shapes", default="32x32x64,64x32x64,128x32x64,64x128x64,64x32x128")
    p.add_argument("--input", type=int, default=18)
    p.add_argument("--outputs", type=int, default=5)
    p.add_argument("--windows", type=int, default=256)
    p.add_argument("--reps", type=int, default=9)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--cell", default="lstm")
    p.add_argument("--loss", default="mae")
    p.add_argument("--clip", type=float, default=20.0)
    p.add_argument("--tbptt", type=int, default=0, help="TBPTT length; 0: the window length")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(42)
    print("load before:", os.getloadavg())
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, cell {a.cell}, D={a.input}, "
          f"outputs {a.outputs}, windows {a.windows}, loss {a.loss}, Adam 1e-3, clip {a.clip}")
    for shape in a.shapes.split(","):
        h, batch, t = parse_shape(shape)
        x = torch.randn(a.windows, t, a.input)
        y = torch.randn(a.windows, t, a.outputs)
        net = Net(a.cell, a.input, h, a.outputs)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-8)
        generator = torch.Generator().manual_seed(7)
        times = []
        for rep in range(a.warmup + a.reps):
            started = time.perf_counter()
            fit(net, opt, x, y, batch, a.tbptt or t, a.loss, a.clip, generator)
            if rep >= a.warmup:
                times.append((time.perf_counter() - started) * 1000)
        print(f"pytorch H={h} batch={batch} window={t} tbptt={a.tbptt or t}: median {statistics.median(times):.1f} ms, "
              f"best {min(times):.1f} ms over {a.reps} fits")
    print("load after:", os.getloadavg())


if __name__ == "__main__":
    main()
