"""Exercise he_init of notebook 04: He initialisation, and what a wrong one looks like.

The check knows the numbers the reference draws from the learner's rng, so it can say more
than "Not yet" about another matrix: the same draws in another order are right too (for
example drawn as (n_in, n_out) and transposed); otherwise it names the standard deviation,
the shape, a uniform draw, numbers not drawn from rng, or draws taken before the matrix.
Registered for notebook 04 (imported by nb04_backprop.py, in the notebook's order).
"""

import copy

import numpy as np

from . import Exercise, Mistake, register
from .values import numeric


def he_init(n_in, n_out, rng):
    """He initialisation: a weight matrix (n_out, n_in) drawn from a normal distribution with
    mean 0 and standard deviation sqrt(2 / n_in), using the generator rng."""
    return rng.normal(0.0, np.sqrt(2 / n_in), size=(n_out, n_in))


def same_draws(got, expected):
    """The reference's numbers read in the transposed order: drawn as (n_in, n_out) and then
    transposed (or column by column). Just as good a He initialisation: accepted."""
    g, e = numeric(got), numeric(expected)
    if g is None or e is None or g.shape != e.shape:
        return False
    return bool(np.allclose(g.T.ravel(), e.ravel()))


def scale_of(values, draws):
    """(mean, scale) if values = mean + scale · draws in some order, else None."""
    a, b = np.sort(values, axis=None), np.sort(draws, axis=None)
    if a.size < 2 or a.size != b.size or np.ptp(b) == 0 or np.ptp(a) == 0:
        return None
    scale, mean = np.polyfit(b, a, 1)
    if scale > 0 and np.allclose(a, mean + scale * b, rtol=1e-6, atol=1e-9 * (1 + abs(mean))):
        return float(mean), float(scale)
    return None


# Standard deviations a learner may use instead of He's sqrt(2 / n_in), and what each is.
OTHER_SCALES = [
    ("sqrt(1 / n_in)", lambda n_in, n_out: np.sqrt(1 / n_in),
     "Xavier's, the choice for tanh and sigmoid; ReLU switches off half of its inputs, so He "
     "doubles the variance: sqrt(2 / n_in)"),
    ("2 / n_in", lambda n_in, n_out: 2 / n_in,
     "He's VARIANCE; the standard deviation (rng.normal's scale) is its square root, "
     "sqrt(2 / n_in)"),
    ("1 / n_in", lambda n_in, n_out: 1 / n_in,
     "Xavier's variance, not a standard deviation; He's is sqrt(2 / n_in)"),
    ("sqrt(2 / n_out)", lambda n_in, n_out: np.sqrt(2 / n_out),
     "He's is sqrt(2 / n_in): it depends on the number of INPUTS n_in (each neuron sums n_in "
     "terms), not on n_out"),
    ("sqrt(1 / n_out)", lambda n_in, n_out: np.sqrt(1 / n_out),
     "He's uses the number of inputs n_in, and a 2: sqrt(2 / n_in)"),
    ("2 / n_out", lambda n_in, n_out: 2 / n_out,
     "a variance, and of n_out: He's standard deviation is sqrt(2 / n_in)"),
    ("sqrt(2 / (n_in + n_out))", lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)),
     "Glorot's (Xavier's) for tanh; for ReLU He's is sqrt(2 / n_in)"),
    ("sqrt(2) / n_in", lambda n_in, n_out: np.sqrt(2) / n_in,
     "He's is sqrt(2 / n_in): the square root must cover the whole fraction, np.sqrt(2 / n_in)"),
    ("sqrt(n_in / 2)", lambda n_in, n_out: np.sqrt(n_in / 2),
     "He's is sqrt(2 / n_in): your fraction is upside down"),
    ("1", lambda n_in, n_out: 1.0,
     "rng.normal's default; pass He's, rng.normal(0, np.sqrt(2 / n_in), size)"),
]  # fmt: skip


def scale_claims(scale, n_in, n_out):
    """{key: phrase} naming a standard deviation other than sqrt(2 / n_in)."""
    claims = {}
    for name, value, meaning in OTHER_SCALES:
        if np.isclose(scale, value(n_in, n_out)):
            claims[("std", name)] = f"your standard deviation is {name}; {meaning}"
    claims[("std",)] = (
        f"your standard deviation is {scale:.4g}; He's is sqrt(2 / n_in) = {np.sqrt(2 / n_in):.4g}"
    )
    return claims


def distribution(w, n_in, n_out, rng):
    """{key: phrase} for what the numbers of w are, compared with rng's draws."""
    n, std = w.size, np.sqrt(2 / n_in)
    stream = copy.deepcopy(rng).standard_normal(n + 2 * (n_in + n_out))
    fit = scale_of(w, stream[:n])
    if fit:
        mean, scale = fit
        claims = {(): None} if np.isclose(scale, std) else scale_claims(scale, n_in, n_out)
        if not np.isclose(mean, 0, atol=1e-9):
            lead = f"your mean is {mean:.4g}, not 0 (rng.normal's first argument is the mean)"
            claims = {("mean", *key): ", and ".join(filter(None, [lead, phrase]))
                      for key, phrase in claims.items()}  # fmt: skip
        return claims
    if np.ptp(w) == 0:
        value = "0 everywhere" if w.flat[0] == 0 else f"{w.flat[0]:.4g} everywhere"
        return {("constant",): (
            f"your weights are {value}: then every neuron computes the same thing, gets the "
            "same gradient and stays identical; random weights break that symmetry"
        )}  # fmt: skip
    if scale_of(w, copy.deepcopy(rng).random(n)):
        low, high = float(w.min()), float(w.max())
        return {("uniform",): (
            f"your weights are spread uniformly (between about {low:.3g} and {high:.3g}: "
            "rng.uniform or rng.random); He draws them from a NORMAL distribution"
        )}  # fmt: skip
    if scale_of(w, np.abs(stream[:n])):
        return {("abs",): "every weight is ≥ 0 (an np.abs?): half of them should be negative"}
    if scale_of(w, copy.deepcopy(rng).standard_normal(n, dtype=np.float32)):
        return {("float32",): (
            "these are rng's draws in float32, which draws other numbers: use "
            "rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)) (convert afterwards if needed)"
        )}  # fmt: skip
    for skipped in range(1, len(stream) - n + 1):
        if scale_of(w, stream[skipped : skipped + n]):
            return {("skipped",): (
                f"these are rng's draws, but not its first ones: {skipped} other numbers were "
                "drawn from rng before the matrix (the biases?). Draw the matrix only; biases "
                "start at 0 (np.zeros(n_out)), they are not part of he_init"
            )}  # fmt: skip
    return {("foreign",): (
        "these are not rng's normal draws (in any order or scale): draw from the rng you are "
        "given, rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)); np.random.… or a "
        "generator made inside the function ignore the caller's seed"
    )}  # fmt: skip


def capital(text):
    return text[:1].upper() + text[1:]


def he_slips(got, expected, context):
    """{key: sentence} naming what is wrong with a He initialisation (see the docstring)."""
    n_in, n_out, rng = context.args
    if isinstance(got, tuple | list) and len(got) == 2 and np.ndim(got[0]) == 2:
        biases = numeric(got[1])
        random = biases is not None and np.any(biases)
        return {("two values",): (
            "You returned two values: he_init returns the weight matrix alone (the layer "
            "makes its biases, and they start at 0" + (", not random" if random else "")
            + "). Return only rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in))."
        )}  # fmt: skip
    w = numeric(got) if isinstance(got, np.ndarray) else None  # a list: see values.py
    if w is None or w.ndim != 2 or w.size != n_in * n_out or not np.all(np.isfinite(w)):
        return {}
    shape = ""
    if w.shape != (n_out, n_in):
        shape = (
            f"your matrix has the shape {w.shape}, but a layer's matrix has one row per neuron: "
            f"(n_out, n_in) = ({n_out}, {n_in})"
        )
    claims = {}
    for key, phrase in distribution(w, n_in, n_out, rng).items():
        if key == () and not shape:  # the right numbers in the right shape, another order
            if np.allclose(w, expected) or same_draws(w, expected):
                continue  # right (the check does not call it a mistake)
            phrase = (
                "your numbers are rng's draws with He's standard deviation, but in another "
                "order than rng.normal(0, std, size=(n_out, n_in)) gives: draw the matrix in "
                "one call"
            )
        parts = [part for part in (shape, phrase) if part]
        claims[(bool(shape), *key)] = capital("; and ".join(parts)) + "."
        if n_in == n_out:  # a square matrix shows nothing about the shape: (n_in, n_out) too
            claims[(True, *key)] = None
    return claims


register(
    Exercise(
        name="he_init",
        reference=he_init,
        notebook="nb04_backprop",
        where="course_utils.checks.nb04_backprop.he_init "
        "(in the library: course_utils.layers.Linear(init='he'))",
        cases=[
            (3, 4, np.random.default_rng(0)),
            (50, 20, np.random.default_rng(1)),
            (8, 8, np.random.default_rng(2)),
        ],
        diagnosis=he_slips,
        equivalent=same_draws,
        mistakes=[
            Mistake(
                "That is Xavier's sqrt(1 / n_in), the choice for sigmoid and tanh. ReLU switches "
                "off half of its inputs, so He doubles the variance: sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(1 / n_in), size=(n_out, n_in)),
            ),
            Mistake(
                "2 / n_in is the variance; the standard deviation (what rng.normal's scale "
                "means) is its square root, sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, 2 / n_in, size=(n_out, n_in)),
            ),
            Mistake(
                "Uniform instead of normal: draw the weights with rng.normal(0, std, size), "
                "std = sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.uniform(
                    -np.sqrt(2 / n_in), np.sqrt(2 / n_in), size=(n_out, n_in)
                ),
            ),
            Mistake(
                "You made a new generator inside the function: draw from the rng you are given, "
                "so that the caller's seed decides the weights.",
                lambda n_in, n_out, rng: np.random.default_rng(0).normal(
                    0.0, np.sqrt(2 / n_in), size=(n_out, n_in)
                ),
            ),
            Mistake(
                "The scale depends on the number of INPUTS of the layer, n_in (each neuron sums "
                "n_in terms), not on n_out: sqrt(2 / n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / n_out), size=(n_out, n_in)),
            ),
            Mistake(
                "The shape is transposed: a layer's matrix has one row per neuron, (n_out, n_in).",
                lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_out)),
            ),
        ],
    )
)
