#!/usr/bin/env python3
"""Re-run a Wide Enough training run with numpy (and PyTorch, when it is installed).

The run's settings, its step size and the losses the page recorded are in RUN below (the page's
"Download run" button fills them in; `python3 reproduce.py run.json` reads another export). The
script draws the data and the initialization from the seeds with the same xoshiro128** streams and
Box-Muller Gaussians as the page (its src/net/rng.ts): the same uint32 streams bit for bit, hence
the same float32 weights and data (float64 log/cos/sin of this platform's libm may differ from the
browser's in the last bit, which float32 rounding almost always hides: the "init sha256" line
lets you check). It then trains with the same step size eta: full-batch gradient descent
W <- W - eta grad F(W), or mini-batch SGD with the page's batch order, on
F(W) = 1/2 sum_i ||B h_{i,L} - y_i||^2 (Allen-Zhu, Li, Song 2019, section 2), and prints the loss at
every step the page recorded, beside the page's value.

Usage: python3 reproduce.py [run.json] [--run KEY] [--float32] [--torch]
Needs python3 and numpy only. The random streams are pure Python: seconds per million draws.
"""
import hashlib
import json
import math
import sys

import numpy as np

RUN = None  # the page's export (config, seeds, eta, records), filled in by the download

MASK = 0xFFFFFFFF
STREAM_SALT = {"data": 0x9E3779B9, "init": 0x85EBCA6B, "batch": 0xC2B2AE35, "landscape": 0x27D4EB2F}


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


class Rng:
    """xoshiro128** seeded through splitmix32, as src/net/rng.ts (all arithmetic mod 2^32)."""

    def __init__(self, seed, stream):
        s = ((seed & MASK) ^ STREAM_SALT[stream]) & MASK
        s = (s + seed // 4294967296) & MASK
        state = []
        for _ in range(4):
            s = (s + 0x9E3779B9) & MASK
            z = s
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK
            state.append((z ^ (z >> 16)) & MASK)
        if (state[0] | state[1] | state[2] | state[3]) == 0:
            state[0] = 1
        self.s0, self.s1, self.s2, self.s3 = state
        self.spare = None

    def next_uint32(self):
        s0, s1, s2, s3 = self.s0, self.s1, self.s2, self.s3
        result = (_rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 9) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s0, self.s1, self.s2, self.s3 = s0, s1, s2, s3
        return result

    def uniform(self):
        return self.next_uint32() / 4294967296.0

    def int(self, k):
        return math.floor(self.uniform() * k)

    def normal(self):
        """Box-Muller, both values used (the second is kept for the next call)."""
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        u = self.uniform()
        while u == 0:
            u = self.uniform()
        v = self.uniform()
        radius = math.sqrt(-2 * math.log(u))
        self.spare = radius * math.sin(2 * math.pi * v)
        return radius * math.cos(2 * math.pi * v)

    def normals(self, count, variance):
        """N(0, variance) draws, float64: sd * normal(), in order (the page's fillNormal)."""
        sd = math.sqrt(variance)
        return np.array([sd * self.normal() for _ in range(count)], dtype=np.float64)

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.int(i + 1)
            a[i], a[j] = a[j], a[i]


def js_hypot(values):
    """Math.hypot as V8 computes it (scaled by the largest, Kahan-summed), for the same last bit."""
    absv = [abs(v) for v in values]
    top = max(absv) if absv else 0.0
    if top == 0:
        return 0.0
    total = 0.0
    comp = 0.0
    for a in absv:
        n = a / top
        summand = n * n - comp
        prelim = total + summand
        comp = (prelim - total) - summand
        total = prelim
    return math.sqrt(total) * top


def make_dataset(c, rng):
    """src/net/data.ts: points on the unit sphere, an optional close pair, then the labels."""
    n, d, d_out = c["n"], c["d"], c["dOut"]
    X = [[0.0] * d for _ in range(n)]
    for i in range(n):
        s = 0.0
        while True:
            s = 0.0
            for k in range(d):
                v = rng.normal()
                X[i][k] = v
                s += v * v
            if s != 0:
                break
        s = 0.0
        for k in range(d):
            s += X[i][k] * X[i][k]
        inv = 1 / math.sqrt(s)
        for k in range(d):
            X[i][k] *= inv
    if c.get("closePairDelta") is not None:
        delta = c["closePairDelta"]
        while True:
            u = [0.0] * d
            proj = 0.0
            for k in range(d):
                u[k] = rng.normal()
                proj += u[k] * X[0][k]
            for k in range(d):
                u[k] -= proj * X[0][k]
            norm = js_hypot(u)
            if not norm < 1e-8:
                break
        theta = 2 * math.asin(delta / 2)
        for k in range(d):
            X[1][k] = math.cos(theta) * X[0][k] + math.sin(theta) * (u[k] / norm)
    if c["labels"] == "teacher":
        Y = teacher_labels(X, n, d, d_out, c.get("teacherWidth", 16), rng)
    else:
        Y = [[0.0] * d_out for _ in range(n)]
        for i in range(n):
            for a in range(d_out):
                Y[i][a] = (-1.0 if rng.uniform() < 0.5 else 1.0) if c["labels"] == "sign" else rng.normal()
    return np.array(X, dtype=np.float64), np.array(Y, dtype=np.float64)


def teacher_labels(X, n, d, d_out, width, rng):
    """Labels of a random two-layer ReLU teacher V ReLU(U x), scaled to unit mean square (sums in the page's order)."""
    U = rng.normals(width * d, 2 / d)
    V = rng.normals(d_out * width, 1 / width)
    Y = [[0.0] * d_out for _ in range(n)]
    for i in range(n):
        h = [0.0] * width
        for r in range(width):
            s = 0.0
            for k in range(d):
                s += U[r * d + k] * X[i][k]
            h[r] = s if s > 0 else 0.0
        for a in range(d_out):
            s = 0.0
            for r in range(width):
                s += V[a * width + r] * h[r]
            Y[i][a] = s
    ms = sum(y * y for row in Y for y in row) / (n * d_out)
    inv = 1 / math.sqrt(ms) if ms > 0 else 1.0
    return [[y * inv for y in row] for row in Y]


def init_params(c, rng):
    """A, W_1..W_L ~ N(0, 2/m), B ~ N(0, 1/dOut), drawn in that order, stored as float32 (the page's precision)."""
    d, m, L, d_out = c["d"], c["m"], c["L"], c["dOut"]
    A = rng.normals(m * d, 2 / m).astype(np.float32).reshape(m, d)
    W = [rng.normals(m * m, 2 / m).astype(np.float32).reshape(m, m) for _ in range(L)]
    B = rng.normals(d_out * m, 1 / d_out).astype(np.float32).reshape(d_out, m)
    return A, W, B


# ---- architectures: one forward and one backward per arch; add an arch by adding both ----


def forward_fc(H_prev, Wl, tau):
    return H_prev @ Wl.T  # pre-activation of h_l = ReLU(W_l h_{l-1})


def backward_fc(dP, H_prev, Wl, tau):
    """dP: grad wrt the layer's pre-activation. Returns (grad W_l, grad H_{l-1})."""
    return dP.T @ H_prev, dP @ Wl


def forward_resnet(H_prev, Wl, tau):
    return H_prev + tau * (H_prev @ Wl.T)  # h_l = ReLU(h_{l-1} + tau W_l h_{l-1})


def backward_resnet(dP, H_prev, Wl, tau):
    return tau * (dP.T @ H_prev), dP + tau * (dP @ Wl)


ARCHS = {"fc": (forward_fc, backward_fc), "resnet": (forward_resnet, backward_resnet)}


def loss_and_grads(c, X, Y, A, W, B, rows=None, scale=1.0):
    """F over the rows (all when None) and scale * grad F for A, W_1..W_L, B."""
    fwd, bwd = ARCHS[c["arch"]]
    tau = c["tau"]
    if rows is not None:
        X, Y = X[rows], Y[rows]
    pre = [X @ A.T]
    H = [np.maximum(pre[0], 0)]
    for Wl in W:
        pre.append(fwd(H[-1], Wl, tau))
        H.append(np.maximum(pre[-1], 0))
    out = H[-1] @ B.T
    r = out - Y
    loss = 0.5 * float(np.sum(r.astype(np.float64) ** 2))
    gB = scale * (r.T @ H[-1])
    dH = scale * (r @ B)
    gW = [None] * len(W)
    for l in range(len(W), 0, -1):
        dP = dH * (pre[l] > 0)
        gW[l - 1], dH = bwd(dP, H[l - 1], W[l - 1], tau)
    gA = (dH * (pre[0] > 0)).T @ X
    return loss, gA, gW, gB


class BatchOrder:
    """The page's mini-batches: without replacement, epoch by epoch, from the batch stream (src/net/sgd.ts)."""

    def __init__(self, n, b, rng):
        self.n, self.rng = n, rng
        self.order = list(range(n))
        self.cursor = n
        self.rows = [0] * b

    def next(self):
        n, b = self.n, len(self.rows)
        wrapped_at = 0
        for k in range(b):
            if self.cursor >= n:
                self.rng.shuffle(self.order)
                self.cursor = 0
                wrapped_at = k
            if wrapped_at > 0:
                held = self.rows[:wrapped_at]
                j = self.cursor
                while self.order[j] in held:
                    j += 1
                self.order[j], self.order[self.cursor] = self.order[self.cursor], self.order[j]
            self.rows[k] = self.order[self.cursor]
            self.cursor += 1
        return list(self.rows)


def sha256_of(arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def train(run, dtype=np.float64):
    """Yields (step, loss) at each step the page recorded, training as the page did."""
    c = run["config"]
    X64, Y64 = make_dataset(c, Rng(c["dataSeed"], "data"))
    A, W, B = init_params(c, Rng(c["initSeed"], "init"))
    # the page trains on float32 copies of the data
    X32, Y32 = X64.astype(np.float32), Y64.astype(np.float32)
    print(f"# data sha256 {sha256_of([X32, Y32])} (X, Y as float32)")
    print(f"# init sha256 {sha256_of([A, *W, B])} (A, W_1..W_L, B as float32)")
    X, Y = X32.astype(dtype), Y32.astype(dtype)
    A, W, B = A.astype(dtype), [w.astype(dtype) for w in W], B.astype(dtype)
    n = c["n"]
    batch = c["batch"] if 0 < c["batch"] < n else n
    order = BatchOrder(n, batch, Rng(c["batchSeed"], "batch")) if batch < n else None
    eta = dtype(run["lr"])
    wanted = sorted(set(int(s) for s in run["records"]["step"]))
    step = 0
    for target in wanted:
        while True:
            full = order is None or step == target
            loss, gA, gW, gB = loss_and_grads(c, X, Y, A, W, B) if full else (None, None, None, None)
            if step == target:
                yield step, loss
                break
            if order is not None:
                _, gA, gW, gB = loss_and_grads(c, X, Y, A, W, B, order.next(), n / batch)
            if c.get("trainA"):
                A = A - eta * gA
            W = [w - eta * g for w, g in zip(W, gW)]
            if c.get("trainB"):
                B = B - eta * gB
            step += 1


def train_torch(run):
    """The same full-batch run in PyTorch (float64, autograd), from the same float32 initialization."""
    import torch

    c = run["config"]
    X64, Y64 = make_dataset(c, Rng(c["dataSeed"], "data"))
    A, W, B = init_params(c, Rng(c["initSeed"], "init"))
    t = lambda a, grad=False: torch.tensor(np.asarray(a, dtype=np.float32).astype(np.float64), requires_grad=grad)
    X, Y = t(X64), t(Y64)
    A, B = t(A, bool(c.get("trainA"))), t(B, bool(c.get("trainB")))
    W = [t(w, True) for w in W]
    params = [p for p in [A, *W, B] if p.requires_grad]
    opt = torch.optim.SGD(params, lr=run["lr"])
    if 0 < c["batch"] < c["n"]:
        raise SystemExit("--torch reruns full-batch runs only (the mini-batch order is in the numpy path)")

    def loss_fn():
        h = torch.relu(X @ A.T)
        for Wl in W:
            h = torch.relu(h @ Wl.T if c["arch"] == "fc" else h + c["tau"] * (h @ Wl.T))
        return 0.5 * ((h @ B.T - Y) ** 2).sum()

    step = 0
    for target in sorted(set(int(s) for s in run["records"]["step"])):
        while True:
            opt.zero_grad()
            loss = loss_fn()
            if step == target:
                yield step, float(loss)
                break
            loss.backward()
            opt.step()
            step += 1


def pick_run(data, key):
    runs = data["runs"]
    if key is None:
        return runs[0]
    for r in runs:
        if r["key"] == key:
            return r
    raise SystemExit(f"no run {key!r}; the runs are: {', '.join(r['key'] for r in runs)}")


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    key = None
    if "--run" in argv:
        i = argv.index("--run")
        key = argv[i + 1] if i + 1 < len(argv) else None
        args = [a for a in args if a != key]
    data = RUN
    if args:
        with open(args[0]) as f:
            data = json.load(f)
    if data is None:
        raise SystemExit("no run: pass the run's JSON export (python3 reproduce.py run.json)")
    run = pick_run(data, key)
    c = run["config"]
    if c["arch"] not in ARCHS:
        raise SystemExit(f"arch {c['arch']!r} is not in this script (it knows {', '.join(ARCHS)})")
    page = dict(zip(run["records"]["step"], run["records"]["loss"]))
    print(f"# run {run['key']}: {c['arch']} m={c['m']} L={c['L']} n={c['n']} d={c['d']} eta={run['lr']!r} "
          f"seeds data={c['dataSeed']} init={c['initSeed']} batch={c['batchSeed']}")
    if "--torch" in flags:
        try:
            gen = train_torch(run)
            print("# PyTorch, float64")
        except ImportError:
            raise SystemExit("--torch: PyTorch is not importable here")
    else:
        gen = train(run, np.float32 if "--float32" in flags else np.float64)
        print(f"# numpy, {'float32' if '--float32' in flags else 'float64'}")
    print("step\tloss\tpage_loss\trel_diff")
    for step, loss in gen:
        ref = page.get(step)
        rel = abs(loss - ref) / abs(ref) if ref else float("nan")
        print(f"{step}\t{loss:.17g}\t{ref if ref is not None else float('nan'):.17g}\t{rel:.2e}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
