"""MNIST for the hands-on: read and write IDX files, download and verify, load.

`load_mnist()` always gives you digits, with or without a network. It looks in this order:

1. a folder you name: `load_mnist(directory="/media/usb/mnist")` or the MNIST_DIR
   environment variable (for example a copy on a USB stick);
2. the local cache `data/mnist/` (filled by `python -m course_utils.data download`);
3. a download from the mirrors in MIRRORS into that cache;
4. the small sample shipped in `data/mnist-sample/` (5,000 real MNIST digits).

It prints which one it used. Every file is checked with SHA-256 before it is used.
`data/` is the course folder's (next to the notebooks), however course_utils is installed;
see find_data_dir.

Instructors, before a workshop:
    python -m course_utils.data download     # fetch the full set into data/mnist/
    python -m course_utils.data verify       # check it (and the shipped sample)
    python -m course_utils.data info         # show what load_mnist() would use

Reading and writing the IDX files themselves is in idx.py; fetching one file safely in
download.py.
"""

import argparse
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_utils.download import (  # noqa: F401 (CacheNotWritable: part of this API)
    DOWNLOAD_ERRORS,
    CacheNotWritable,
    cannot_write,
    describe_failure,
    fetch,
    remove_stale_downloads,
)
from course_utils.errors import DataError
from course_utils.idx import (  # noqa: F401 (IDX_DTYPES, idx_bytes, write_idx: part of this API)
    IDX_DTYPES,
    check_sha256,
    idx_bytes,
    parse_idx,
    read_bytes,
    read_idx,
    sha256_hex,
    write_idx,
)


def find_data_dir(cwd=None, package=None):
    """The course's data/ folder, however course_utils was installed. Returns (folder, kind).

    kind "repository": a course folder's data/ (next to course_utils, i.e. an editable
    install or a clone; else next to the notebooks: the working folder or its parent, as on
    a hub whose image ran `pip install .`); downloads go to its mnist/ subfolder.
    kind "package": the copy shipped inside the installed package (course_utils/_data), when
    no course folder is at hand (a wheel installed somewhere else).
    """
    package = Path(package or Path(__file__).resolve().parent)
    try:
        cwd = Path(cwd or Path.cwd())
    except OSError:  # the working folder was deleted
        cwd = package
    for folder in (package.parent, cwd, cwd.parent):
        if (folder / "data" / "mnist-sample").is_dir():
            return folder / "data", "repository"
    return package / "_data", "package"


def user_cache_dir():
    """Where downloads go when there is no course folder: ~/.cache/hands-on-deep-learning."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hands-on-deep-learning" / "mnist"


DATA_DIR, DATA_KIND = find_data_dir()
CACHE_DIR = DATA_DIR / "mnist" if DATA_KIND == "repository" else user_cache_dir()
SAMPLE_DIR = DATA_DIR / "mnist-sample"
ENV_VAR = "MNIST_DIR"

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",  # the one torchvision uses
    "https://storage.googleapis.com/cvdf-datasets/mnist/",  # the one TensorFlow uses
)

# SHA-256 of the *decompressed* files: the same whichever mirror gzipped them.
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# The shipped sample (made by scripts/make_mnist_sample.py), also decompressed.
SAMPLE_SHA256 = {
    "train-images-idx3-ubyte": "df907b1daff37d9019b2398e4c0ee537bb81cab90adf5d8abe5aa6f42ce203e2",
    "train-labels-idx1-ubyte": "879f54c9fa7f1c5fce6daf8bba0809d673264cca3d0688e6eae5665679e25665",
    "t10k-images-idx3-ubyte": "540509082a594c58eb87c35f1c340847beb6cba219b71d11ad30a3470ebb51db",
    "t10k-labels-idx1-ubyte": "626d335582945cbb7f23115c77eebce3e88fbccc8458a114bac9a3ce2449a9e7",
}


def how_to_get_full(cache_dir=None):
    """The hint on getting the full set, naming the folder that load_mnist() would read."""
    cache_dir = Path(cache_dir or CACHE_DIR)
    where = "" if cache_dir == CACHE_DIR else f" --dir {cache_dir}"
    return (
        f"To get all 70,000 digits: run `python -m course_utils.data download{where}` while "
        f"online, or copy the four MNIST .gz files into {cache_dir}, "
        f"or set {ENV_VAR}=/path/to/folder (e.g. a USB stick)."
    )


HOW_TO_GET_FULL = how_to_get_full()
RESTORE_SAMPLE = (
    "The sample is part of the course's files, so it cannot be downloaded: restore the course "
    "folder (in a git clone: `git checkout -- data/mnist-sample`; else download or unzip the "
    "course again)."
)


def find_file(directory, name):
    """Return the path of MNIST file `name` in `directory` (.gz or not), or None."""
    dotted = name.replace("-idx", ".idx")  # Kaggle's names, and the shipped sample's
    candidates = [name + ".gz", name, dotted + ".gz", dotted]
    for candidate in candidates:
        path = Path(directory) / candidate
        if path.is_file():
            return path
    return None


def verify_directory(directory, checksums=None):
    """Check the MNIST files in `directory`; return {name: "ok" | "missing" | "mismatch" | why}."""
    checksums = MNIST_SHA256 if checksums is None else checksums
    report = {}
    for name, expected in checksums.items():
        path = find_file(directory, name)
        if path is None:
            report[name] = "missing"
            continue
        try:
            raw = read_bytes(path)
        except DataError as err:
            report[name] = f"unreadable: {err}"
            continue
        report[name] = "ok" if sha256_hex(raw) == expected else "mismatch"
    return report


def load_directory(directory, checksums=None):
    """Read and verify the four MNIST files in `directory`.

    Returns (x_train, y_train, x_test, y_test): images uint8 (N, 28, 28), labels int64 (N,).
    Raises DataError naming each missing or corrupt file.
    """
    checksums = MNIST_SHA256 if checksums is None else checksums
    arrays = {}
    for name, expected in checksums.items():
        path = find_file(directory, name)
        if path is None:
            raise DataError(
                f"{directory} has no {name}.gz (nor {name}). Expected the four MNIST files "
                f"{', '.join(n + '.gz' for n in checksums)}. " + HOW_TO_GET_FULL
            )
        raw = read_bytes(path)
        check_sha256(raw, expected, str(path))
        arrays[name] = parse_idx(raw, name=str(path))
    x_train = arrays["train-images-idx3-ubyte"]
    y_train = arrays["train-labels-idx1-ubyte"].astype(np.int64)
    x_test = arrays["t10k-images-idx3-ubyte"]
    y_test = arrays["t10k-labels-idx1-ubyte"].astype(np.int64)
    return x_train, y_train, x_test, y_test


# ---------------------------------------------------------------- download


def download_mnist(directory=None, mirrors=None, timeout=30, checksums=None, progress=True):
    """Download the four MNIST files into `directory` (default data/mnist/) and verify them.

    Each file is tried on every mirror in turn until one passes the SHA-256 check; files that
    are already there and correct are kept. Returns the directory. Raises DataError (listing
    what went wrong on each mirror) if a file could not be fetched from any mirror.
    """
    directory = Path(directory or CACHE_DIR)
    mirrors = MIRRORS if mirrors is None else mirrors
    checksums = MNIST_SHA256 if checksums is None else checksums
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise cannot_write(directory, err) from None
    remove_stale_downloads(directory)
    for name, expected in checksums.items():
        if verify_directory(directory, {name: expected})[name] == "ok":
            continue
        failures = []
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + name + ".gz"
            if progress:
                host = urllib.parse.urlsplit(url).netloc or url
                print(f"{name}.gz from {host} (waiting up to {timeout:g} s for an answer) ...")
            try:
                fetch(url, directory / (name + ".gz"), expected, timeout, progress)
                break
            except CacheNotWritable:
                raise  # every mirror would fail the same way
            except DOWNLOAD_ERRORS as err:
                failures.append(f"  {url}: {describe_failure(err, timeout)}")
                if progress:
                    print(f"  failed: {describe_failure(err, timeout)}; trying the next mirror")
        else:  # no mirror worked
            raise DataError(
                f"Could not download {name}.gz from any mirror:\n" + "\n".join(failures) + "\n"
                "Check the network (or a proxy), or copy the files from another machine "
                f"into {directory}."
            )
    return directory


# ---------------------------------------------------------------- load_mnist


@dataclass
class MnistData:
    """The MNIST arrays and where they came from.

    x_train, x_test: uint8 images, shape (N, 28, 28), ink 0-255 (white digit on black).
    y_train, y_test: int64 labels 0-9, shape (N,).
    source: "directory", "cache", "download" or "sample"; directory: the folder read.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    directory: Path
    message: str = ""

    def __repr__(self):
        return (
            f"MnistData(source={self.source!r}, train={self.x_train.shape}, "
            f"test={self.x_test.shape}, directory='{self.directory}')"
        )


# How the message of load_mnist() describes each source.
WHERE = {
    "directory": f"the folder you named or ${ENV_VAR}",
    "cache": "the local cache",
    "download": "just downloaded",
}


def load_mnist(
    directory=None,
    *,
    download=True,
    sample=False,
    cache_dir=None,
    mirrors=None,
    timeout=30,
    verbose=True,
):
    """Load MNIST: the full set if possible, else the shipped 5,000-digit sample.

    directory: a folder holding the four MNIST files (.gz or not); default: $MNIST_DIR if set.
        A folder you name must be complete and correct (else DataError, no silent fallback).
    download: try the mirrors if the cache is empty. sample=True: use the shipped sample.
    cache_dir: where downloads go (default data/mnist/). mirrors, timeout: for the download.
    Returns MnistData (see there) and prints which data it used unless verbose=False.
    """
    if sample:
        data = load_sample("you asked for the sample (sample=True)")
    elif directory or os.environ.get(ENV_VAR):
        where = directory or os.environ[ENV_VAR]
        data = MnistData(*load_directory(where), "directory", Path(where))
    else:
        data = load_cache_or_download(
            Path(cache_dir or CACHE_DIR), download, mirrors, timeout, verbose
        )
    if data.source != "sample":
        data.message = (
            f"MNIST: full set ({len(data.x_train):,} train / {len(data.x_test):,} test digits) "
            f"from {data.directory} ({WHERE[data.source]}), checksums OK."
        )
    if verbose:
        print(data.message)
    return data


def load_cache_or_download(cache_dir, download, mirrors, timeout, verbose):
    """Steps 2 to 4 of load_mnist: the cache, else a download, else the shipped sample."""
    problem = f"the full set is not in {cache_dir}"
    if all(find_file(cache_dir, name) for name in MNIST_SHA256):
        try:
            return MnistData(*load_directory(cache_dir), "cache", cache_dir)
        except DataError as err:
            problem = f"the copy in {cache_dir} is damaged ({err})"
    if not download:
        return load_sample(problem + " and download=False", cache_dir)
    try:
        download_mnist(cache_dir, mirrors=mirrors, timeout=timeout, progress=verbose)
        return MnistData(*load_directory(cache_dir), "download", cache_dir)
    except DOWNLOAD_ERRORS as err:
        first_lines = " ".join(line.strip() for line in str(err).splitlines()[:2])
        return load_sample(f"{problem} and the download failed ({first_lines})", cache_dir)


def load_sample(reason, cache_dir=None):
    """Load the shipped sample (4,000 train / 1,000 test digits); `reason` goes in the message.

    cache_dir: the folder the hint on getting the full set names (default: data/mnist/).
    """
    try:
        arrays = load_directory(SAMPLE_DIR, SAMPLE_SHA256)
    except DataError:
        report = verify_directory(SAMPLE_DIR, SAMPLE_SHA256)
        broken = [
            f"{name} {status.split(':')[0]}" for name, status in report.items() if status != "ok"
        ]
        raise DataError(
            f"The shipped MNIST sample in {SAMPLE_DIR} is damaged "
            f"({', '.join(broken) or 'unreadable'}). " + RESTORE_SAMPLE
        ) from None
    data = MnistData(*arrays, "sample", SAMPLE_DIR)
    data.message = (
        f"MNIST: using the shipped SAMPLE ({len(data.x_train):,} train / {len(data.x_test):,} "
        f"test digits from {SAMPLE_DIR}) because {reason}. " + how_to_get_full(cache_dir)
    )
    return data


def flatten_and_scale(images, dtype=np.float32):
    """Turn uint8 images (N, 28, 28) into network inputs: float32 (N, 784) in [0, 1]."""
    images = np.asarray(images)
    return images.reshape(len(images), -1).astype(dtype) / 255


class ScaledImages:
    """uint8 images that become network inputs only when a batch is taken.

    x = ScaledImages(mnist.x_train) behaves like flatten_and_scale(mnist.x_train) wherever
    course_utils takes inputs (fit, evaluate, predict, predict_proba): x[i:j] or x[rows] gives
    float32 (batch, 784) in [0, 1]; len(x) and x.shape are those of the flat images. It keeps
    1 byte per pixel (47 MB for 60,000 digits) instead of 4 (188 MB as float32).
    np.asarray(x) gives everything as float32, if you need it all at once.
    Subclasses can change batch() to do more per batch (e.g. random shifts).
    """

    def __init__(self, images):
        images = np.asarray(images)
        if images.dtype != np.uint8:
            raise DataError(
                f"ScaledImages expects uint8 pixels 0-255 (as load_mnist gives them), got "
                f"{images.dtype}. Already scaled floats need no wrapper: pass them directly."
            )
        self.images = images.reshape(len(images), -1)  # a view: no copy
        self.shape = self.images.shape
        self.dtype = np.dtype(np.float32)
        self.ndim = 2

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        return self.batch(self.images[index])

    def batch(self, pixels):
        """uint8 pixels (batch, 784) -> float32 network inputs in [0, 1]."""
        return np.divide(pixels, 255, dtype=np.float32)  # one pass, same numbers as x / 255

    def __array__(self, dtype=None, copy=None):
        return self[:] if dtype is None else self[:].astype(dtype)

    def __repr__(self):
        return f"ScaledImages({len(self):,} images of {self.shape[1]} uint8 pixels, as float32)"


# ---------------------------------------------------------------- command line


def print_report(title, report):
    """Print one line per file of a verify_directory() report; return True if all are ok."""
    print(title)
    for name, status in report.items():
        print(f"  {name}: {'OK' if status == 'ok' else 'PROBLEM: ' + status}")
    return all(status == "ok" for status in report.values())


def build_parser():
    """The command line: one sub-command each for download, verify and info, each with its
    own help (`python -m course_utils.data download --help`) showing the defaults."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.data",
        description="Get, check and locate MNIST for the hands-on (notebook 07).",
        epilog="`python -m course_utils.data COMMAND --help` explains each command.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    where = f"the MNIST folder (default: ${ENV_VAR} if set, else {CACHE_DIR})"
    download = commands.add_parser(
        "download",
        help="fetch the full MNIST (4 files, 11 MB) into the cache, SHA-256 checked",
        description="Download the four MNIST files and check each one's SHA-256; files "
        "already there and intact are kept. Tries each mirror in turn.",
    )
    download.add_argument("--dir", help="where to put them: " + where.removeprefix("the "))
    download.add_argument(
        "--timeout", type=float, default=30, help="seconds per connection (default: 30)"
    )
    download.add_argument(
        "--mirror",
        action="append",
        help="base URL to try instead of the built-in ones; repeatable "
        f"(default: {', then '.join(MIRRORS)})",
    )
    verify = commands.add_parser(
        "verify",
        help="check the full MNIST and the shipped sample (exit 1 if either is not intact)",
        description="Check the SHA-256 of the full MNIST's four files and of the shipped "
        "sample. Exit status 1 if anything is missing or corrupt (for example a USB stick).",
    )
    verify.add_argument("--dir", help="check " + where)
    info = commands.add_parser(
        "info",
        help="say which MNIST load_mnist() would use, without downloading",
        description="Report the full MNIST and the shipped sample, and which one "
        "load_mnist() would use here. Downloads nothing.",
    )
    info.add_argument("--dir", help="report on " + where)
    return parser


def main(argv=None):
    """`python -m course_utils.data download|verify|info [--dir DIR]`; returns the exit code."""
    args = build_parser().parse_args(argv)
    directory = Path(args.dir or os.environ.get(ENV_VAR) or CACHE_DIR)

    if args.command == "download":
        try:
            download_mnist(directory, mirrors=args.mirror, timeout=args.timeout)
        except (DataError, OSError) as err:
            print(err, file=sys.stderr)
            return 1
        return 0 if print_report(f"Full MNIST in {directory}:", verify_directory(directory)) else 1

    sample_ok = print_report(
        f"Shipped sample in {SAMPLE_DIR}:", verify_directory(SAMPLE_DIR, SAMPLE_SHA256)
    )
    if not sample_ok:
        print("The shipped sample is damaged. " + RESTORE_SAMPLE)
    full_report = verify_directory(directory)
    named = bool(args.dir or os.environ.get(ENV_VAR))  # a folder named for the full set
    full_absent = set(full_report.values()) == {"missing"} and not named
    if full_absent:  # only the sample: that is a working course, not a problem
        print(f"Full MNIST in {directory}: not there (optional).")
        full_ok = False
    else:
        full_ok = print_report(f"Full MNIST in {directory}:", full_report)
    if args.command == "info":
        if full_ok:
            used = f"the full set in {directory}"
        elif args.dir or os.environ.get(ENV_VAR):
            used = "nothing: that folder is incomplete, so load_mnist() raises DataError"
        else:
            used = "a download from " + " or ".join(MIRRORS) + ", else the shipped sample"
        print(f"load_mnist() would use {used}.")
        return 0
    if full_absent:
        print(
            ("The shipped sample is fine: every notebook runs with it. " if sample_ok else "")
            + "The full set is optional. "
            + how_to_get_full(directory)
        )
        return 0 if sample_ok else 1
    if not full_ok:
        print("The full set is incomplete or corrupt. " + how_to_get_full(directory))
    return 0 if (sample_ok and full_ok) else 1


if __name__ == "__main__":
    sys.exit(main())
