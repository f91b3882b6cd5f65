"""Speed of the course_utils core: seconds per epoch of 784-128-10 on MNIST-shaped data.

    python scripts/benchmark_core.py                 # random MNIST-shaped data, 60,000 examples
    python scripts/benchmark_core.py --mnist DIR     # the real digits from an MNIST folder

Trains ReLU 784-128-10 with softmax cross-entropy and SGD (lr 0.1, batch 64, float32) on
one thread and prints seconds per epoch; also the time of the same epoch's matrix
multiplications alone, and, when PyTorch is installed, the same model in PyTorch.
A benchmark prints figures; it asserts nothing.
"""

import argparse
import platform
import time

import numpy as np

import course_utils as cu
from course_utils.training import train_one_epoch

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # optional: without it, the BLAS may use every core
    threadpool_info = threadpool_limits = None


def data(mnist_dir, n):
    if mnist_dir:
        from course_utils.data import load_mnist

        mnist = load_mnist(directory=mnist_dir)
        x = mnist.x_train.reshape(len(mnist.x_train), -1).astype(np.float32) / 255
        return x, mnist.y_train.astype(np.int64)
    rng = np.random.default_rng(0)
    x = rng.random((n, 784), dtype=np.float32)
    return x, rng.integers(0, 10, n)


def best_of(repeats, function):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def numpy_epoch(x, y, batch_size):
    model = cu.MLP([784, 128, 10], seed=0)
    optimizer = cu.SGD(model, lr=0.1)
    rng = np.random.default_rng(0)
    return lambda: train_one_epoch(model, cu.CrossEntropyLoss(), optimizer, x, y, batch_size, rng)


def matmuls_only(x, batch_size):
    """The five matrix products of one epoch (forward 2, backward 3), nothing else."""
    rng = np.random.default_rng(0)
    m1 = rng.standard_normal((128, 784), dtype=np.float32)
    m2 = rng.standard_normal((10, 128), dtype=np.float32)
    g2 = rng.standard_normal((batch_size, 10), dtype=np.float32)
    g1 = rng.standard_normal((batch_size, 128), dtype=np.float32)

    def run():
        for i in range(0, len(x), batch_size):
            xb = x[i : i + batch_size]
            n = len(xb)
            h = xb @ m1.T
            h @ m2.T
            g2[:n].T @ h
            g2[:n] @ m2
            g1[:n].T @ xb

    return run


def torch_epoch(x, y, batch_size):
    import torch

    torch.set_num_threads(1)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", metavar="DIR", help="folder with the MNIST IDX files")
    parser.add_argument("--n", type=int, default=60_000, help="examples of random data")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3, help="epochs timed; the best counts")
    args = parser.parse_args()

    x, y = data(args.mnist, args.n)
    limits = threadpool_limits(1) if threadpool_limits else None
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {platform.machine()}")
    if threadpool_info:
        for pool in threadpool_info():
            print(
                f"BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                f"kernel {pool.get('architecture')}, threads {pool.get('num_threads')}"
            )
    print(
        f"784-128-10 ReLU, cross-entropy, SGD lr 0.1, batch {args.batch_size}, float32, "
        f"{len(x):,} examples, best of {args.repeats} epochs"
    )

    ours = best_of(args.repeats, numpy_epoch(x, y, args.batch_size))
    matmul = best_of(args.repeats, matmuls_only(x, args.batch_size))
    print(f"course_utils: {ours:.3f} s/epoch")
    print(f"matmuls only: {matmul:.3f} s/epoch  (course_utils / matmuls = {ours / matmul:.2f})")
    try:
        run, version = torch_epoch(x, y, args.batch_size)
    except ImportError:
        print("PyTorch: not installed (pip install torch to compare)")
    else:
        theirs = best_of(args.repeats, run)
        print(
            f"PyTorch {version}: {theirs:.3f} s/epoch  (course_utils / PyTorch = "
            f"{ours / theirs:.2f})"
        )
    if limits:
        limits.restore_original_limits()


if __name__ == "__main__":
    main()
