"""Small made-up datasets for the notebooks: generated from a seed, no files.

Every function takes seed=0 (the same seed gives the same data) and returns batch-first
arrays: x with shape (N, features); y with shape (N,) of int64 class indices for
classification, or (N, k) float targets for regression. Floats are float32 unless you pass
dtype=np.float64.

    make_treatment_scans   regression: tiny "scan" images -> treatment effectiveness 0-100
    make_houses            regression: size, location, age -> price and monthly rent
    make_chihuahua_muffin  two classes in 2-D
    make_1d_function       one input, one output: |x|, a step, a sine, a wiggly curve
    make_spirals, make_moons   two classes in 2-D that no straight line separates
    make_bad_descriptors   inputs that say nothing about the labels (or, for contrast, do)
    train_val_test_split   shuffle and split into train / validation / test
"""

import numpy as np


def make_treatment_scans(n=500, size=8, noise=0.05, seed=0, dtype=np.float32):
    """Tiny grayscale "scans" showing one bright blob (the tumour) -> effectiveness 0-100.

    The made-up rule: the treatment works best on small, bright, central blobs.
    Returns x: (n, size*size) pixel values in [0, 1] (reshape to (n, size, size) to look),
            y: (n, 1) effectiveness in percent, between 0 and 100.
    """
    rng = np.random.default_rng(seed)
    radius = rng.uniform(0.8, size / 3, n)
    brightness = rng.uniform(0.4, 1.0, n)
    centre = rng.uniform(size * 0.25, size * 0.75, (n, 2))
    rows, cols = np.indices((size, size))
    dist2 = (rows[None] - centre[:, 0, None, None]) ** 2 + (
        cols[None] - centre[:, 1, None, None]
    ) ** 2
    blobs = brightness[:, None, None] * np.exp(-dist2 / (2 * radius[:, None, None] ** 2))
    x = np.clip(blobs + noise * rng.normal(size=blobs.shape), 0, 1).reshape(n, size * size)
    off_centre = np.hypot(*(centre - size / 2).T) / (size / 2)
    score = 1.2 - radius / (size / 3) + 0.6 * brightness - 0.4 * off_centre
    y = 100 / (1 + np.exp(-6 * (score - 0.85)))  # squash into 0-100
    y = np.clip(y + rng.normal(0, 2, n), 0, 100)
    return x.astype(dtype), y[:, None].astype(dtype)


HOUSE_FEATURES = ("size (m²)", "location score (0-10)", "age (years)")
HOUSE_TARGETS = ("price", "monthly rental income")


def make_houses(n=500, seed=0, dtype=np.float32):
    """Houses: the features are on very different scales, and so are the two targets.

    x: (n, 3) = size in m² (30-250), location score (0-10), age in years (0-100).
    y: (n, 2) = price (around 1,000,000) and monthly rental income (around 5,000).
    Training on these raw numbers goes badly (huge losses, diverging gradients), which is
    why we normalise: subtract the mean and divide by the standard deviation of each column.
    """
    rng = np.random.default_rng(seed)
    size = rng.uniform(30, 250, n)
    location = rng.uniform(0, 10, n)
    age = rng.uniform(0, 100, n)
    price_per_m2 = (3_000 + 800 * location) * (1 - 0.004 * age)  # old houses are cheaper
    price = (size * price_per_m2 + 100_000) * rng.lognormal(0, 0.08, n)
    rent = 0.004 * price + 8 * size + rng.normal(0, 200, n)
    x = np.stack([size, location, age], axis=1)
    y = np.stack([price, rent], axis=1)
    return x.astype(dtype), y.astype(dtype)


CHIHUAHUA_MUFFIN_CLASSES = ("chihuahua", "muffin")
CHIHUAHUA_MUFFIN_FEATURES = ("how round the outline is", "how shiny the dark spots are")


def make_chihuahua_muffin(n=200, noise=0.7, seed=0, dtype=np.float32):
    """A two-class stand-in for "chihuahua or muffin?": two overlapping clouds in 2-D.

    x: (n, 2) two made-up picture descriptors (see CHIHUAHUA_MUFFIN_FEATURES).
    y: (n,) int64, 0 = chihuahua, 1 = muffin (see CHIHUAHUA_MUFFIN_CLASSES); half each.
    The clouds overlap a little (more with larger noise), so no classifier is perfect.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centres = np.array([[-1.0, 1.0], [1.0, -0.8]])
    bend = 0.4 * np.sin(2 * rng.normal(size=n))  # curved clouds, not plain blobs
    x = centres[y] + noise * rng.normal(size=(n, 2))
    x[:, 1] += bend * (1 - 2 * y)
    order = rng.permutation(n)
    return x[order].astype(dtype), y[order].astype(np.int64)


ONE_D_KINDS = ("abs", "step", "sine", "wiggly")


def make_1d_function(kind="wiggly", n=200, noise=0.0, seed=0, dtype=np.float32):
    """Samples of a 1-D function on [-1, 1], for universal approximation.

    kind: "abs" (|x|), "step" (0 left of 0, 1 right of it), "sine" (sin(2πx)) or
          "wiggly" (a sum of sines with a bump).
    x: (n, 1) sorted inputs, evenly spaced; y: (n, 1) targets plus Gaussian noise of std `noise`.
    """
    functions = {
        "abs": np.abs,
        "step": lambda t: (t > 0).astype(float),
        "sine": lambda t: np.sin(2 * np.pi * t),
        "wiggly": lambda t: np.sin(3 * t) + 0.3 * np.sin(11 * t) + np.exp(-20 * (t - 0.4) ** 2),
    }
    if kind not in functions:
        raise ValueError(f"kind must be one of {ONE_D_KINDS}, got {kind!r}.")
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)
    y = functions[kind](x) + noise * rng.normal(size=n)
    return x[:, None].astype(dtype), y[:, None].astype(dtype)


def make_spirals(n=400, turns=1.5, noise=0.1, seed=0, dtype=np.float32):
    """Two interleaved spirals in 2-D, one per class.

    x: (n, 2) points, roughly within [-1, 1]; y: (n,) int64 class 0 or 1, half each.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.1, 1, n)  # 0 = centre, 1 = outer end
    angle = 2 * np.pi * turns * t + np.pi * y  # class 1 is turned by half a circle
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    x += noise * 0.1 * rng.normal(size=(n, 2))
    return x.astype(dtype), y.astype(np.int64)


def make_moons(n=400, noise=0.1, seed=0, dtype=np.float32):
    """Two interleaved half circles ("moons") in 2-D, one per class.

    x: (n, 2) points in about [-1, 2] x [-0.5, 1]; y: (n,) int64 class 0 or 1, half each.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    angle = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower) + noise * rng.normal(size=(n, 2))
    return x.astype(dtype), y.astype(np.int64)


def make_bad_descriptors(n=500, n_features=10, informative=False, seed=0, dtype=np.float32):
    """Inputs that carry no information about the labels: garbage in, garbage out.

    x: (n, n_features) random numbers; y: (n,) int64 class 0 or 1, drawn independently of x.
    A big enough network can still memorise the training set, but on new data it is right
    only half of the time (chance). With informative=True you get the "good descriptor"
    version for contrast: the same kind of x, but y = 1 exactly when a fixed weighted sum of
    the features is positive, so a model can learn it and is right on new data too.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n_features))
    if informative:
        weights = rng.normal(size=n_features)
        y = (x @ weights > 0).astype(np.int64)
    else:
        y = rng.integers(0, 2, n)
    return x.astype(dtype), y.astype(np.int64)


def split_counts(n, fractions):
    """How many of n items go to each part: e.g. (100, (0.8, 0.1, 0.1)) -> [80, 10, 10].

    Each part gets the whole part of n·f; the few items left over go to the parts with the
    largest remainders, so a part with fraction 0 stays empty.
    """
    exact = [n * f for f in fractions]
    counts = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def train_val_test_split(x, y, fractions=(0.8, 0.1, 0.1), seed=0, stratify=False):
    """Shuffle (x, y) and split them into train, validation and test parts.

    fractions: three numbers that add up to 1, e.g. (0.8, 0.1, 0.1) as in the talk's script.
    stratify=True: split each class separately, so every part has the same class mix
    (y must then hold class indices).
    Returns ((x_train, y_train), (x_val, y_val), (x_test, y_test)).
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}.")
    if len(fractions) != 3 or min(fractions) < 0 or abs(sum(fractions) - 1) > 1e-6:
        raise ValueError(
            f"fractions must be three numbers >= 0 that add up to 1, got {fractions}; "
            "e.g. (0.8, 0.1, 0.1)."
        )
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    parts = [[], [], []]
    for indices in groups:
        indices = rng.permutation(indices)
        start = 0
        for part, count in zip(parts, split_counts(len(indices), fractions), strict=True):
            part.extend(indices[start : start + count])
            start += count
    parts = [rng.permutation(np.array(part, dtype=np.int64)) for part in parts]
    return tuple((x[part], y[part]) for part in parts)
