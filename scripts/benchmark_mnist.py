"""Full-MNIST benchmark of notebook 07's recommended setting, on one core.

    python scripts/benchmark_mnist.py --mnist /path/to/mnist      # a folder with the 4 .gz files
    python scripts/benchmark_mnist.py                             # wherever load_mnist() finds it
    python scripts/benchmark_mnist.py --mnist DIR --adam 5        # also: the float32 Adam check

Trains the talk's network 784-128-64-10 (ReLU) the way notebook 07 recommends: SGD with
momentum 0.9, learning rate 0.05 falling along a cosine, batches of 64, 15 epochs, every
epoch on digits shifted at random by up to one pixel. Data: the 60,000 training digits split
90/10 (seed 0, stratified) into training and validation, the official 10,000 test digits as
the test set; the test accuracy is taken at the best validation epoch (lowest validation cost),
as the talk's script does with its checkpoint.

If PyTorch and/or scikit-learn are installed, the same run is repeated with them (same
architecture, optimizer, schedule, shifted digits; PyTorch even starts from the same weights
and sees the batches in the same order) and their accuracy and time are printed side by side.
BLAS and PyTorch are limited to one thread (threadpoolctl, optional, and torch.set_num_threads).

"training seconds" = the epochs' forward/backward/update time plus the time spent shifting
digits; the per-epoch validation pass is reported separately. A benchmark prints figures; it
asserts nothing. Compare kernels: run it once as is and once with
`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python scripts/benchmark_mnist.py ...`.
"""

import argparse
import datetime
import os
import platform
import resource
import sys
import time
import warnings

import numpy as np

import course_utils as cu
from course_utils.data import flatten_and_scale, load_mnist
from course_utils.datasets import train_val_test_split
from course_utils.lessons.nb07_mnist import RECOMMENDED, CosineSchedule, RandomShifts, callbacks

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # optional: without it the BLAS may use every core
    threadpool_info = threadpool_limits = None


def cpu_name():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def print_machine():
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?", "?", "?")
    print(
        f"date {datetime.datetime.now():%Y-%m-%d %H:%M}, {cpu_name()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
        f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}"
    )
    if threadpool_info is None:
        print(
            "threadpoolctl not installed: cannot show or limit the BLAS threads "
            "(pip install threadpoolctl)"
        )
        return
    for pool in threadpool_info():
        kernel = pool.get("architecture") or pool.get("corretype") or "?"
        print(
            f"  {pool.get('internal_api')} {pool.get('version')}: kernel {kernel}, "
            f"threads {pool.get('num_threads')}  ({os.path.basename(pool.get('filepath', ''))})"
        )


def load(directory):
    mnist = load_mnist(directory=directory) if directory else load_mnist()
    x = flatten_and_scale(mnist.x_train)
    (x_train, y_train), (x_val, y_val), _ = train_val_test_split(
        x, mnist.y_train, fractions=(0.9, 0.1, 0.0), seed=0
    )
    return x_train, y_train, x_val, y_val, flatten_and_scale(mnist.x_test), mnist.y_test


def cosine_lr(epoch, epochs, lr):
    """The learning rate of epoch `epoch` (1-based), as CosineSchedule sets it."""
    return lr * (1 + np.cos(np.pi * (epoch - 1) / epochs)) / 2


# ---------------------------------------------------------------- course_utils


def run_course_utils(data, setting, seed=0):
    x_train, y_train, x_val, y_val, x_test, y_test = data
    model = cu.MLP(list(setting["sizes"]), activation=setting["activation"], seed=seed)
    initial = {k: v.copy() for k, v in model.state_dict().items()}
    optimizer = cu.SGD(model, lr=setting["lr"], momentum=setting["momentum"])
    start = time.perf_counter()  # making the first shifted copies counts too
    shifts = RandomShifts(x_train, max_shift=setting["max_shift"], seed=seed)
    history = cu.fit(
        model,
        cu.CrossEntropyLoss(),
        optimizer,
        shifts.x,
        y_train,
        epochs=setting["epochs"],
        batch_size=setting["batch_size"],
        x_val=x_val,
        y_val=y_val,
        seed=seed,
        keep_best=True,
        progress=False,
        callback=callbacks(CosineSchedule(optimizer, setting["epochs"]), shifts),
    )
    wall = time.perf_counter() - start
    train_seconds = sum(history["seconds"]) + shifts.seconds
    _, test_acc = cu.evaluate(model, cu.CrossEntropyLoss(), x_test, y_test)
    return {
        "name": "course_utils (NumPy)",
        "test_acc": test_acc,
        "train_s": train_seconds,
        "wall_s": wall,
        "best_epoch": history["best_epoch"],
        "epoch_s": min(history["seconds"]),
        "val_acc": history["val_acc"][history["best_epoch"] - 1],
        "initial": initial,
    }


# ---------------------------------------------------------------- PyTorch


def run_torch(data, setting, initial, seed=0):
    import torch

    torch.set_num_threads(1)
    x_train, y_train, x_val, y_val, x_test, y_test = data
    sizes = setting["sizes"]
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():  # start from exactly the same weights as course_utils
            linear.weight.copy_(torch.from_numpy(initial[f"{2 * i}.M"]))
            linear.bias.copy_(torch.from_numpy(initial[f"{2 * i}.b"]))
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=setting["lr"], momentum=setting["momentum"])
    loss_fn = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    shifts = RandomShifts(x_train, max_shift=setting["max_shift"], seed=seed)
    xt, yt = torch.from_numpy(shifts.x), torch.from_numpy(y_train)  # shares shifts.x's memory
    xv, yv = torch.from_numpy(x_val), torch.from_numpy(y_val)
    rng = np.random.default_rng(seed)  # the same batch order as fit()
    epoch_seconds, best_loss, best_state, best_epoch = [], np.inf, None, 0
    for epoch in range(1, setting["epochs"] + 1):
        for group in optimizer.param_groups:
            group["lr"] = cosine_lr(epoch, setting["epochs"], setting["lr"])
        t0 = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(xt)))
        model.train()
        for i in range(0, len(xt), setting["batch_size"]):
            idx = order[i : i + setting["batch_size"]]
            optimizer.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            optimizer.step()
        epoch_seconds.append(time.perf_counter() - t0)
        with torch.no_grad():
            val_loss = loss_fn(model(xv), yv).item()
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        shifts.refresh()
    wall = time.perf_counter() - start
    model.load_state_dict(best_state)
    with torch.no_grad():
        test_acc = (model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean()
    return {
        "name": f"PyTorch {torch.__version__}",
        "test_acc": float(test_acc),
        "train_s": sum(epoch_seconds) + shifts.seconds,
        "wall_s": wall,
        "best_epoch": best_epoch,
        "epoch_s": min(epoch_seconds),
    }


# ---------------------------------------------------------------- scikit-learn


def run_sklearn(data, setting, seed=0):
    import warnings

    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_train, y_train, x_val, y_val, x_test, y_test = data
    model = MLPClassifier(
        hidden_layer_sizes=setting["sizes"][1:-1],
        activation=setting["activation"],
        solver="sgd",
        alpha=0.0,
        batch_size=setting["batch_size"],
        learning_rate_init=setting["lr"],
        momentum=setting["momentum"],
        nesterovs_momentum=False,
        random_state=seed,
    )
    start = time.perf_counter()
    shifts = RandomShifts(x_train, max_shift=setting["max_shift"], seed=seed)
    classes = np.arange(10)
    epoch_seconds, best_loss, best, best_epoch = [], np.inf, None, 0
    for epoch in range(1, setting["epochs"] + 1):
        t0 = time.perf_counter()
        if epoch > 1:  # the cosine schedule (partial_fit has none of its own)
            model._optimizer.learning_rate = cosine_lr(epoch, setting["epochs"], setting["lr"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(shifts.x, y_train, classes=classes)
        epoch_seconds.append(time.perf_counter() - t0)
        proba = np.clip(model.predict_proba(x_val), 1e-12, 1)
        val_loss = -np.mean(np.log(proba[np.arange(len(y_val)), y_val]))
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best = ([w.copy() for w in model.coefs_], [b.copy() for b in model.intercepts_])
        shifts.refresh()
    wall = time.perf_counter() - start
    model.coefs_, model.intercepts_ = best
    test_acc = float(np.mean(model.predict(x_test) == y_test))
    return {
        "name": f"scikit-learn {sklearn.__version__}",
        "test_acc": test_acc,
        "train_s": sum(epoch_seconds) + shifts.seconds,
        "wall_s": wall,
        "best_epoch": best_epoch,
        "epoch_s": min(epoch_seconds),
    }


# ---------------------------------------------------------------- the float32 Adam check


def count_denormals(optimizer):
    tiny = np.finfo(np.float32).tiny
    return sum(int(np.sum((a != 0) & (np.abs(a) < tiny))) for a in optimizer.m + optimizer.v)


def adam_check(data, epochs):
    """Seconds per epoch of Adam with and without the flush, on the unshifted digits."""
    x_train, y_train, x_val, y_val, x_test, y_test = data
    print(
        f"\nfloat32 Adam check: 784-128-64-10, Adam lr 0.001, batch 64, {epochs} epochs, "
        "unshifted digits (border pixels never lit)"
    )
    for name, flush in (("with flush (course_utils)", True), ("without flush", False)):
        model = cu.MLP([784, 128, 64, 10], seed=0)
        optimizer = cu.Adam(model, lr=1e-3, flush_tiny=flush)
        history = cu.fit(
            model,
            cu.CrossEntropyLoss(),
            optimizer,
            x_train,
            y_train,
            epochs=epochs,
            batch_size=64,
            seed=0,
            progress=False,
        )
        _, test_acc = cu.evaluate(model, cu.CrossEntropyLoss(), x_test, y_test)
        per_epoch = " ".join(f"{s:.2f}" for s in history["seconds"])
        print(
            f"  {name:26s}: s/epoch {per_epoch}; denormals in m, v at the end: "
            f"{count_denormals(optimizer):,}; test accuracy {test_acc:.2%}"
        )


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", metavar="DIR", help="folder with the four MNIST files")
    parser.add_argument("--epochs", type=int, default=RECOMMENDED["epochs"])
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument("--no-sklearn", action="store_true", help="skip scikit-learn")
    parser.add_argument(
        "--adam",
        type=int,
        default=0,
        metavar="EPOCHS",
        help="also time float32 Adam with/without its denormal flush",
    )
    args = parser.parse_args()

    limits = threadpool_limits(1) if threadpool_limits else None
    print_machine()
    data = load(args.mnist)
    setting = dict(RECOMMENDED, epochs=args.epochs)
    print(
        f"setting: {'-'.join(map(str, setting['sizes']))} {setting['activation']}, SGD "
        f"lr {setting['lr']} momentum {setting['momentum']} cosine, batch "
        f"{setting['batch_size']}, {setting['epochs']} epochs, random shifts of up to "
        f"{setting['max_shift']} px; train {len(data[0]):,} / val {len(data[2]):,} / "
        f"test {len(data[4]):,}"
    )

    with warnings.catch_warnings(record=True) as diagnoses:
        warnings.simplefilter("always", cu.TrainingWarning)
        results = [run_course_utils(data, setting)]
    initial = results[0].pop("initial")
    print_result(results[0], results[0])
    print(
        f"peak memory so far: {peak_memory_mb():.0f} MB (data, course_utils run); "
        f"fit's diagnosis: {'; '.join(str(d.message) for d in diagnoses) or 'nothing to report'}"
    )
    comparisons = []
    if not args.no_torch:
        comparisons.append(("PyTorch", lambda: run_torch(data, setting, initial)))
    if not args.no_sklearn:
        comparisons.append(("scikit-learn", lambda: run_sklearn(data, setting)))
    for name, run in comparisons:
        try:
            result = run()
        except ImportError:
            print(f"{name}: not installed (install it to compare; never a requirement)")
            continue
        results.append(result)
        print_result(result, results[0])
    verdict = (
        "meets" if results[0]["test_acc"] >= 0.983 and results[0]["train_s"] <= 30 else ("misses")
    )
    print(f"course_utils {verdict} the target (>= 98.3 % test accuracy within 30 s of training).")
    if args.adam:
        adam_check(data, args.adam)
    if limits:
        limits.restore_original_limits()


def peak_memory_mb():
    """The largest resident memory this process has had so far, in MB (Linux, macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def print_result(result, reference):
    ratio = result["train_s"] / reference["train_s"]
    print(
        f"{result['name']:24s} test accuracy {result['test_acc']:.2%} (best epoch "
        f"{result['best_epoch']}), training {result['train_s']:.1f} s "
        f"(fastest epoch {result['epoch_s']:.2f} s), {result['wall_s']:.1f} s with validation"
        + ("" if result is reference else f", time / course_utils = {ratio:.2f}"),
        flush=True,
    )


if __name__ == "__main__":
    main()
