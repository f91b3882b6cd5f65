"""Activation functions φ (notebook 01) and their derivatives φ' (notebook 04).

A hidden layer computes o = φ(M·x + b). φ must be non-polynomial, otherwise the
whole network is a polynomial of fixed degree, whatever its width.

Every function here works elementwise: z may have any shape, and the result has
the same shape and dtype as z.
"""

import numpy as np


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0)


def relu_prime(z):
    """ReLU'(z) = 1 where z > 0, else 0 (we choose 0 at z = 0, as PyTorch does)."""
    return (z > 0).astype(np.result_type(z, np.float32))


def sigmoid(z):
    """Sigmoid(z) = 1 / (1 + e^(-z)), computed without overflow for any z.

    e^(-z) overflows for z < -710 (float64). We therefore only ever take e^(-|z|),
    which lies in (0, 1]:  z >= 0: 1 / (1 + e^(-z));  z < 0: e^z / (1 + e^z).
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime(z):
    """Sigmoid'(z) = s (1 - s) with s = sigmoid(z)."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z)); NumPy's np.tanh is already stable."""
    return np.tanh(z)


def tanh_prime(z):
    """Tanh'(z) = 1 - tanh(z)²."""
    return 1 - np.tanh(z) ** 2


def identity(z):
    """The identity: the output layer ŷ = M_out·o_N + b_out has no φ."""
    return np.asarray(z)


def identity_prime(z):
    """Identity'(z) = 1."""
    return np.ones_like(z)


class Activation:
    """An activation as a layer: forward remembers z, backward multiplies by φ'(z).

    forward(z):  z (batch, n) -> φ(z) (batch, n)
    backward(grad): ∂J/∂o (batch, n) -> ∂J/∂z = ∂J/∂o · φ'(z) (batch, n)
    """

    function = staticmethod(identity)
    derivative = staticmethod(identity_prime)

    def __init__(self):
        self.z = None

    def forward(self, z):
        self.z = z
        return self.function(z)

    __call__ = forward

    def backward(self, grad):
        if self.z is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before forward(): "
                "run the forward pass on a batch first, then call backward."
            )
        return grad * self.derivative(self.z)

    def parameters(self):
        """Activations have no weights or biases."""
        return []

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(Activation):
    function = staticmethod(relu)
    derivative = staticmethod(relu_prime)


class Sigmoid(Activation):
    function = staticmethod(sigmoid)
    derivative = staticmethod(sigmoid_prime)


class Tanh(Activation):
    function = staticmethod(tanh)
    derivative = staticmethod(tanh_prime)


class Identity(Activation):
    pass


ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "identity": Identity}


def get_activation(name):
    """Return a new activation layer from its name: "relu", "sigmoid", "tanh" or "identity"."""
    key = str(name).lower()
    if key not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {name!r}: choose one of {sorted(ACTIVATIONS)}.")
    return ACTIVATIONS[key]()
