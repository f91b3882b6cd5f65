"""How often is a photographed digit read right? Synthetic phone photos, condition by condition.

    python scripts/benchmark_own_digit.py --mnist /path/to/mnist   # train on the full MNIST
    python scripts/benchmark_own_digit.py                           # the shipped sample only
    python scripts/benchmark_own_digit.py --weights model.npz       # a saved 784-128-64-10

Trains notebook 07's recommended network (784-128-64-10, SGD with momentum, cosine schedule,
one-pixel shifts; 15 epochs) on the full MNIST or the shipped sample, picks 3 test digits
per class that it reads right as plain 28x28 images, and photographs each of those 30
digits under every condition of tests/synthetic_photos.py (desk strips, desk corner, sheet
on a desk, shadow edges, and the controls). Each photo goes through
course_utils.own_digit.prepare_own_digit; a refusal counts as not read. Prints one line
per condition; asserts nothing (tests/test_images_photos.py does, on the sample).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import course_utils as cu
from course_utils.data import flatten_and_scale, load_mnist
from course_utils.datasets import train_val_test_split
from course_utils.errors import DataError
from course_utils.lessons.nb07_mnist import RECOMMENDED, CosineSchedule, RandomShifts, callbacks
from course_utils.own_digit import prepare_own_digit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import synthetic_photos  # noqa: E402  (a test helper: the photo generator)

try:
    from threadpoolctl import threadpool_limits
except ImportError:
    threadpool_limits = None


def train_recommended(mnist, epochs=RECOMMENDED["epochs"], seed=0):
    """Notebook 07's recommended setting on mnist's training part (90 % of it; 10 % validate)."""
    x = flatten_and_scale(mnist.x_train)
    (x_train, y_train), (x_val, y_val), _ = train_val_test_split(
        x, mnist.y_train, fractions=(0.9, 0.1, 0.0), seed=seed
    )
    model = cu.MLP(list(RECOMMENDED["sizes"]), activation=RECOMMENDED["activation"], seed=seed)
    optimizer = cu.SGD(model, lr=RECOMMENDED["lr"], momentum=RECOMMENDED["momentum"])
    shifts = RandomShifts(x_train, max_shift=RECOMMENDED["max_shift"], seed=seed)
    cu.fit(
        model,
        cu.CrossEntropyLoss(),
        optimizer,
        shifts.x,
        y_train,
        epochs=epochs,
        batch_size=RECOMMENDED["batch_size"],
        x_val=x_val,
        y_val=y_val,
        seed=seed,
        keep_best=True,
        progress=False,
        callback=callbacks(CosineSchedule(optimizer, epochs), shifts),
    )
    return model


def read_photos(model, digits, labels, condition, count, size):
    """(read right, refused) over `count` photos of `condition`."""
    right = refused = 0
    for label, photo in synthetic_photos.photo_set(digits, labels, condition, count, size=size):
        try:
            digit = prepare_own_digit(photo)
        except DataError:
            refused += 1
            continue
        right += int(cu.predict(model, flatten_and_scale(digit[None]))[0]) == label
    return right, refused


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnist", help="folder with the four full-MNIST files (else: sample)")
    parser.add_argument("--weights", help="a .npz saved by model.save() (skips training)")
    parser.add_argument("--per-class", type=int, default=3, help="test digits per class")
    parser.add_argument("--size", default="800x600", help="photo width x height in pixels")
    args = parser.parse_args(argv)
    if threadpool_limits is not None:
        threadpool_limits(1)
    size = tuple(int(n) for n in args.size.split("x"))

    mnist = load_mnist(directory=args.mnist) if args.mnist else load_mnist(sample=True)
    start = time.perf_counter()
    if args.weights:
        model = cu.MLP(list(RECOMMENDED["sizes"])).load(args.weights)
    else:
        model = train_recommended(mnist)
    x_test = flatten_and_scale(mnist.x_test)
    predicted = cu.predict(model, x_test)
    print(
        f"model: test accuracy {np.mean(predicted == mnist.y_test):.2%} on "
        f"{len(x_test):,} digits ({time.perf_counter() - start:.0f} s to get it)"
    )
    digits, labels = synthetic_photos.pick_digits(
        mnist.x_test, mnist.y_test, predicted, args.per_class
    )
    count = len(digits)
    print(f"{count} test digits it reads right; photos {size[0]}x{size[1]}\n")
    print(f"| condition | read right (of {count}) | refused | what the photo shows |")
    print("|---|---|---|---|")
    for condition, (what, _) in synthetic_photos.CONDITIONS.items():
        right, refused = read_photos(model, digits, labels, condition, count, size)
        print(f"| {condition} | {right}/{count} | {refused} | {what} |", flush=True)


if __name__ == "__main__":
    main()
