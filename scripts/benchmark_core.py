"""Speed of the course_utils core: seconds per epoch of 784-128-10 on MNIST-shaped data.

    python scripts/benchmark_core.py                  # random MNIST-shaped data, 60,000 examples
    python scripts/benchmark_core.py --mnist DIR      # the real digits from an MNIST folder
    python scripts/benchmark_core.py --mnist DIR --threads 2 --wall

Trains ReLU 784-128-10 with softmax cross-entropy and SGD (lr 0.1, batch 64, float32) and
prints seconds per epoch: course_utils's train_one_epoch on float32 inputs and on uint8
images scaled batch by batch (ScaledImages), the same epoch's five matrix products alone,
a hand-fused loop (the same epoch written out in one function: no layers, no checks, every
step in place) that shows how close any NumPy version gets to the products, and, when
PyTorch is installed, the same model in PyTorch. The contenders take turns, one
epoch each, `--repeats` times; the best epoch of each counts, and the ratios compare epochs
measured in the same run. Times are CPU seconds of this process (time.process_time), which
other programs on a shared machine disturb far less than wall-clock time; with --threads > 1
they add up the threads' time, so use --wall there. Also prints the BLAS kernel, the load
average and the peak memory. A benchmark prints figures; it asserts nothing.
"""

import argparse
import os
import platform
import resource
import sys
import time

import numpy as np

import course_utils as cu
from course_utils.data import ScaledImages
from course_utils.training import train_one_epoch

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # optional: without it, the BLAS may use every core
    threadpool_info = threadpool_limits = None


def data(mnist_dir, n):
    """(uint8 images (N, 784), labels): the MNIST training digits or random ones."""
    if mnist_dir:
        from course_utils.data import load_mnist

        mnist = load_mnist(directory=mnist_dir)
        return mnist.x_train.reshape(len(mnist.x_train), -1), mnist.y_train
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 784), dtype=np.uint8), rng.integers(0, 10, n)


def peak_memory_mb():
    """The largest resident memory this process has had so far, in MB (Linux, macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def numpy_epoch(x, y, batch_size, model=None):
    """One epoch of course_utils's training, as fit runs it (seed 0 for weights and order)."""
    model = model if model is not None else cu.MLP([784, 128, 10], seed=0)
    optimizer = cu.SGD(model, lr=0.1)
    rng = np.random.default_rng(0)
    return lambda: train_one_epoch(model, cu.CrossEntropyLoss(), optimizer, x, y, batch_size, rng)


def matmuls_only(x, batch_size):
    """The five matrix products of one epoch (forward 2, backward 3), nothing else.

    The same calls as Linear's, on weights stored as Linear stores them (order="F").
    (The weights are random and never change: a product's time does not depend on its values.)
    """
    rng = np.random.default_rng(0)
    m1 = np.asfortranarray(rng.standard_normal((128, 784), dtype=np.float32))
    m2 = np.asfortranarray(rng.standard_normal((10, 128), dtype=np.float32))
    g2 = rng.standard_normal((batch_size, 10), dtype=np.float32)
    g1 = rng.standard_normal((batch_size, 128), dtype=np.float32)

    def run():
        for i in range(0, len(x), batch_size):
            xb = x[i : i + batch_size]
            n = len(xb)
            h = xb @ m1.T
            h @ m2.T
            np.matmul(g2[:n].T, h, order="F")
            g2[:n] @ m2
            np.matmul(g1[:n].T, xb, order="F")

    return run


def fused_epoch(x, y, batch_size):
    """The same training epoch with everything written out and in place: the NumPy floor.

    Not how course_utils should be written (nothing is checked or named), but what is left
    when all layer and check overhead is gone: the shuffled gather, the products, and the
    element-wise passes that any implementation needs.
    """
    start = cu.MLP([784, 128, 10], seed=0)  # the same start and order as numpy_epoch's
    M1, b1, M2, b2 = (p.copy(order="K") for p, _ in start.parameters())
    rng = np.random.default_rng(0)
    labels, lr = np.asarray(y, dtype=np.intp), np.float32(0.1)

    def run():
        nonlocal M1, b1, M2, b2  # updated in place below (-=), never rebound to new arrays
        order = rng.permutation(len(x))
        for i in range(0, len(x), batch_size):
            idx = order[i : i + batch_size]
            xb, yb, rows = x[idx], labels[idx], np.arange(len(idx))
            h = xb @ M1.T
            h += b1
            o = np.maximum(h, 0)
            z = o @ M2.T
            z += b2
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            total = p.sum(axis=1, keepdims=True)
            p /= total
            float(np.log(total[:, 0]).sum() - z[rows, yb].sum())  # the cost J, as fit needs it
            p[rows, yb] -= 1
            p /= len(idx)
            dM2, db2 = np.matmul(p.T, o, order="F"), p.sum(axis=0)
            g = p @ M2
            g *= h > 0
            dM1, db1 = np.matmul(g.T, xb, order="F"), g.sum(axis=0)
            M1 -= lr * dM1
            b1 -= lr * db1
            M2 -= lr * dM2
            b2 -= lr * db2
            np.count_nonzero(z.argmax(axis=1) == yb)  # the accuracy, as fit counts it
        return M1, b1, M2, b2

    return run


def torch_epoch(x, y, batch_size, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(np.asarray(y, dtype=np.int64))
    generator = torch.Generator().manual_seed(0)

    def run():
        order = torch.randperm(len(xt), generator=generator)
        for i in range(0, len(xt), batch_size):
            idx = order[i : i + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            optimizer.step()

    return run, torch.__version__


def print_machine(threads):
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?", "?", "?")
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    if threadpool_info:
        for pool in threadpool_info():
            print(
                f"BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                f"kernel {pool.get('architecture')}, threads {pool.get('num_threads')}"
            )
    else:
        print(f"threadpoolctl not installed: cannot limit the BLAS to {threads} thread(s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", metavar="DIR", help="folder with the MNIST IDX files")
    parser.add_argument("--n", type=int, default=60_000, help="examples of random data")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5, help="epochs timed; the best counts")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads")
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.process_time

    images, y = data(args.mnist, args.n)
    x = np.divide(images, 255, dtype=np.float32)  # one float32 copy, no temporary
    limits = threadpool_limits(args.threads) if threadpool_limits else None
    print_machine(args.threads)
    print(
        f"784-128-10 ReLU, cross-entropy, SGD lr 0.1, batch {args.batch_size}, float32, "
        f"{len(x):,} examples, best of {args.repeats} epochs, "
        f"{'wall-clock' if args.wall else 'CPU'} seconds"
    )
    contenders = {
        "course_utils": numpy_epoch(x, y, args.batch_size),
        "course_utils, uint8 images": numpy_epoch(ScaledImages(images), y, args.batch_size),
        "matrix products alone": matmuls_only(x, args.batch_size),
        "hand-fused loop (the floor)": fused_epoch(x, y, args.batch_size),
    }
    for epoch in contenders.values():  # one warm-up epoch each, untimed
        epoch()
    memory = peak_memory_mb()  # before PyTorch is loaded: data, model, one epoch of each
    try:
        contenders["PyTorch"], version = torch_epoch(x, y, args.batch_size, args.threads)
    except ImportError:
        version = None
    best = dict.fromkeys(contenders, np.inf)
    for _ in range(args.repeats):
        for name, epoch in contenders.items():
            start = clock()
            epoch()
            best[name] = min(best[name], clock() - start)
    ours, products = best["course_utils"], best["matrix products alone"]
    for name, seconds in best.items():
        label = f"PyTorch {version}" if name == "PyTorch" else name
        ratios = f"course_utils / this = {ours / seconds:.2f}; {seconds / products:.2f} × products"
        print(f"{label + ':':30s} {seconds:.3f} s/epoch   ({ratios})")
    print(
        f"peak memory (before PyTorch is loaded): {memory:.0f} MB, of which the inputs are "
        f"{images.nbytes / 2**20:.0f} MB as uint8 and {x.nbytes / 2**20:.0f} MB as float32"
    )
    if version is None:
        print("PyTorch: not installed (pip install torch to compare)")
    if limits:
        limits.restore_original_limits()


if __name__ == "__main__":
    main()
