"""Exercises of notebook 01 (activation functions)."""

import numpy as np

from .. import activations
from . import Exercise, Mistake, register

Z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
Z_LARGE = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
Z_ROWS = np.array([[-2.0, 0.0, 745.0], [-745.0, 1.0, 30.0]])  # a batch: 2-D, extremes per row


def sigmoid_naive(z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


register(
    Exercise(
        name="sigmoid",
        reference=activations.sigmoid,
        cases=[(Z,), (Z_LARGE,), (Z_ROWS,), (np.array(2.0),)],
        unstable="1 / (1 + np.exp(-z)) overflows for z = -1000: use e^(-|z|), which never "
        "overflows (see the hint above). If you used np.where: it computes BOTH branches for "
        "every z, so each branch must be safe for all z (build both from e^(-|z|)).",
        mistakes=[
            Mistake(
                "You computed Sigmoid(−z) = 1 − Sigmoid(z): either the sign in the exponent is "
                "wrong (Sigmoid(z) = 1 / (1 + e^(−z)), with −z), or np.where's two branches are "
                "swapped (its first branch is used where the condition is True).",
                lambda z: 1 / (1 + np.exp(np.clip(z, -700, 700))),
            ),
            Mistake(
                "Right for z ≥ 0 only: with e^(−|z|) the case z < 0 needs its own formula "
                "e^z / (1 + e^z), i.e. e^(−|z|) / (1 + e^(−|z|)); pick it with np.where.",
                lambda z: 1 / (1 + np.exp(-np.abs(z))),
            ),
            Mistake("That is tanh(z), not the sigmoid 1 / (1 + e^(−z)).", np.tanh),
        ],
    )
)


register(
    Exercise(
        name="relu_prime",
        reference=activations.relu_prime,
        cases=[(Z,), (np.array([[-2.0, 0.0], [1e-3, 7.0]]),), (np.array([[0.0, -0.0, 1e-9]]),)],
        mistakes=[
            Mistake(
                "That is ReLU itself, max(0, z); its derivative is 1 where z > 0 and 0 elsewhere.",
                lambda z: np.maximum(z, 0),
            ),
            Mistake(
                "Almost: at z = 0 the course (like PyTorch) takes ReLU'(0) = 0, so use "
                "z > 0, not z >= 0.",
                lambda z: (z >= 0).astype(float),
            ),
            Mistake(
                "np.sign(z) is −1 for negative z, but ReLU is flat there: its slope is 0, not −1.",
                np.sign,
            ),
            Mistake(
                "That is the derivative of the identity (1 everywhere): ReLU's slope is 0 "
                "for z ≤ 0.",
                lambda z: np.ones_like(z),
            ),
        ],
    )
)


register(
    Exercise(
        name="tanh_prime",
        reference=activations.tanh_prime,
        cases=[(Z,), (np.array([[-20.0, 0.1], [1.0, 20.0]]),), (Z_LARGE,)],
        unstable="A formula with np.exp(z) or np.exp(2 * z) overflows for large |z|: use "
        "np.tanh(z), which is safe for every z, in 1 − tanh(z)².",
        mistakes=[
            Mistake("You squared z, not tanh(z): Tanh'(z) = 1 − tanh(z)².", lambda z: 1 - z**2),
            Mistake(
                "Forgot the square: Tanh'(z) = 1 − tanh(z)², not 1 − tanh(z).",
                lambda z: 1 - np.tanh(z),
            ),
            Mistake(
                "Forgot the '1 −': Tanh'(z) = 1 − tanh(z)², not tanh(z)².",
                lambda z: np.tanh(z) ** 2,
            ),
            Mistake(
                "That is the sigmoid's derivative s (1 − s), not tanh's 1 − tanh(z)².",
                activations.sigmoid_prime,
            ),
        ],
    )
)
