"""Exercises of notebook 01 (activation functions)."""

import numpy as np

from .. import activations
from . import Exercise, Mistake, register

Z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
Z_LARGE = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])


def sigmoid_naive(z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


register(
    Exercise(
        name="sigmoid",
        reference=activations.sigmoid,
        cases=[(Z,), (Z_LARGE,)],
        unstable="1 / (1 + np.exp(-z)) overflows for z = -1000: use e^(-|z|), which never "
        "overflows (see the hint above).",
        mistakes=[
            Mistake("Wrong sign in the exponent: Sigmoid(z) = 1 / (1 + e^(−z)), with −z.",
                    lambda z: 1 / (1 + np.exp(np.clip(z, -700, 700)))),
            Mistake("Right for z ≥ 0 only: with e^(−|z|) the case z < 0 needs its own formula "
                    "e^z / (1 + e^z), i.e. e^(−|z|) / (1 + e^(−|z|)); pick it with np.where.",
                    lambda z: 1 / (1 + np.exp(-np.abs(z)))),
            Mistake("That is tanh(z), not the sigmoid 1 / (1 + e^(−z)).", np.tanh),
        ],
    )
)
