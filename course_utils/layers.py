"""Layers and networks (notebooks 02 and 04): Linear, Sequential and the MLP builder.

Arrays are batch-first: a batch of M inputs is a matrix x of shape (M, n_in), one
example per row. A Linear layer stores the slides' matrix M with shape
(n_out, n_in) and bias b with shape (n_out,). For one example the slides write
M·x + b; for a whole batch that is x @ M.T + b, one row per example.
"""

import numbers
import os
import zipfile
from pathlib import Path

import numpy as np

from .activations import get_activation
from .errors import DataError, ShapeError


def as_batch(x, n_features, dtype, who):
    """Return x as a float array of shape (batch, n_features), or explain what is wrong."""
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise ShapeError(f"{who} expects numbers, but got an array of dtype {x.dtype}.")
    if x.ndim == 2 and x.shape[1] == n_features:
        return x.astype(dtype, copy=False)
    if x.size == n_features:  # one example, as a vector or as an image
        raise ShapeError(
            f"{who} expects a batch of shape (batch, {n_features}), but got one example "
            f"of shape {x.shape}. Make it a batch of one with x.reshape(1, {n_features})."
        )
    hint = ""
    if x.ndim >= 3 and int(np.prod(x.shape[1:])) == n_features:
        hint = f" Flatten each example first: x.reshape(len(x), {n_features})."
    raise ShapeError(
        f"{who} expects input of shape (batch, {n_features}), but got shape {x.shape}.{hint}"
    )


class Linear:
    """A dense layer: out = x @ M.T + b, row by row the slides' M·x + b.

    Shapes: M (out_features, in_features), b (out_features,),
    x (batch, in_features) -> out (batch, out_features).
    init="he" (for ReLU) draws M with standard deviation sqrt(2 / in_features);
    init="xavier" (for sigmoid, tanh, identity) uses sqrt(1 / in_features). b starts at 0.
    """

    def __init__(self, in_features, out_features, init="he", seed=None, rng=None, dtype=np.float32):
        rng = rng if rng is not None else np.random.default_rng(seed)
        gain = {"he": 2.0, "xavier": 1.0}[init]
        std = np.sqrt(gain / in_features)
        # stored column by column (order="F"): M.T, which x @ M.T reads, is then row by row,
        # the layout the matrix product runs fastest on (first layer measured 1–19 % faster)
        self.M = (rng.standard_normal((out_features, in_features)) * std).astype(dtype, order="F")
        self.b = np.zeros(out_features, dtype=dtype)
        self.dM = np.zeros_like(self.M)
        self.db = np.zeros_like(self.b)
        self.x = None

    @property
    def in_features(self):
        return self.M.shape[1]

    @property
    def out_features(self):
        return self.M.shape[0]

    def forward(self, x):
        """x (batch, in_features) -> x @ M.T + b (batch, out_features); remembers x."""
        self.check_parameters(x)
        self.x = as_batch(x, self.in_features, self.M.dtype, "Linear.forward")
        out = self.x @ self.M.T
        out += self.b  # in place: adds b to every row without a second (batch, n_out) array
        return out

    __call__ = forward

    def check_parameters(self, x, prefix=""):
        """Blame a weight matrix or bias of the wrong shape on itself, not on the input x.

        prefix: the layer's name in a Sequential ("2."), so messages say 2.M and 2.b.
        """
        M, b, shape = np.asarray(self.M), np.asarray(self.b), np.shape(x)
        if M.ndim == 2 and b.shape == M.shape[:1] and shape[-1:] == M.shape[1:]:
            return  # all fits: the usual case, checked in a microsecond
        n_x = shape[-1] if len(shape) == 2 else None
        if M.ndim != 2:
            raise ShapeError(f"The weight matrix {prefix}M must be 2-D (out, in), got {M.shape}.")
        if n_x == M.shape[0] != M.shape[1]:
            raise ShapeError(
                f"The input has {n_x} features, but the weight matrix {prefix}M has shape "
                f"{M.shape} = (out, in), so it expects {M.shape[1]}. {prefix}M looks transposed: "
                f"a layer from {n_x} inputs to {M.shape[1]} outputs stores M with shape "
                f"({M.shape[1]}, {n_x}); use M.T."
            )
        if b.shape != (M.shape[0],):
            raise ShapeError(
                f"The bias {prefix}b has shape {b.shape} but the weight matrix {prefix}M has "
                f"shape {M.shape}: b needs one entry per output, shape ({M.shape[0]},)."
            )

    def backward(self, grad, input_grad=True):
        """∂J/∂out (batch, out_features) -> ∂J/∂x (batch, in_features).

        Stores ∂J/∂M = gradᵀ·x (out_features, in_features) in self.dM and
        ∂J/∂b = grad summed over the batch (out_features,) in self.db.
        input_grad=False skips ∂J/∂x (returns None): the first layer's input is the
        data, whose gradient training never needs, and skipping it saves a third of the work.
        """
        if self.x is None:
            raise RuntimeError(
                "Linear.backward() was called before forward(): run the forward pass "
                "on a batch first, then call backward with the gradient of its output."
            )
        # gradᵀ·x, stored in M's own order, so that the update p -= lr * dM is one sweep
        self.dM = np.matmul(grad.T, self.x, order="F" if self.M.flags.f_contiguous else "C")
        self.db = grad.sum(axis=0)
        return grad @ self.M if input_grad else None

    def parameters(self):
        """[(M, ∂J/∂M), (b, ∂J/∂b)]: what an optimizer updates, with its gradient."""
        return [(self.M, self.dM), (self.b, self.db)]

    def __repr__(self):
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"


class Sequential:
    """Layers applied one after the other: forward left to right, backward right to left."""

    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        """x (batch, n_in) -> ŷ (batch, n_out), passing through every layer."""
        for i, layer in enumerate(self.layers):
            try:
                x = layer.forward(x)
            except ShapeError as err:
                self.explain(i, x)  # raises a clearer error if a weight matrix is to blame
                raise err from None
        return x

    def explain(self, i, x):
        """Blame layer i's parameters, named 2.M or 2.b, if they are what does not fit."""
        layer = self.layers[i]
        if isinstance(layer, Linear):
            layer.check_parameters(x, prefix=f"{i}.")
            if i > 0 and np.shape(x)[-1] != layer.in_features:
                raise ShapeError(self.size_mismatch(i, np.shape(x)[-1])) from None

    def size_mismatch(self, i, n_given):
        """Explain that layer i's weight matrix does not fit the layer before it."""
        layer = self.layers[i]
        return (
            f"Layer {i} ({layer!r}) gets {n_given} numbers per example from the layer before "
            f"it, but its weight matrix {i}.M has shape {layer.M.shape}, i.e. expects "
            f"{layer.in_features}. Consecutive layers must fit: give layer {i} "
            f"in_features={n_given} (M of shape ({layer.out_features}, {n_given}))."
        )

    __call__ = forward

    def backward(self, grad, input_grad=True):
        """∂J/∂ŷ (batch, n_out) -> ∂J/∂x (batch, n_in); each layer stores its own gradients.

        input_grad=False skips ∂J/∂x of the first layer (training never needs it).
        """
        for i in reversed(range(len(self.layers))):
            if i == 0 and not input_grad and isinstance(self.layers[0], Linear):
                return self.layers[0].backward(grad, input_grad=False)
            grad = self.layers[i].backward(grad)
        return grad

    def parameters(self):
        """All (parameter, gradient) pairs, first layer first."""
        return [pair for layer in self.layers for pair in layer.parameters()]

    def num_parameters(self):
        """How many numbers training adjusts: all entries of every M and b."""
        return sum(p.size for p, _ in self.parameters())

    def state_dict(self):
        """The parameters by name: {"0.M": M of layer 0, "0.b": ..., "2.M": ...}."""
        return {
            f"{i}.{name}": getattr(layer, name)
            for i, layer in enumerate(self.layers)
            if isinstance(layer, Linear)
            for name in ("M", "b")
        }

    def load_state_dict(self, state):
        """Copy parameters from state (as made by state_dict) into this network's arrays."""
        own = self.state_dict()
        if set(state) != set(own):
            raise ShapeError(
                f"These weights are for another architecture: expected parameters "
                f"{sorted(own)}, got {sorted(state)}."
            )
        for name, value in state.items():
            if own[name].shape != np.shape(value):
                raise ShapeError(
                    f"Parameter {name} has shape {np.shape(value)} in the saved weights but "
                    f"{own[name].shape} in this network: build the same architecture first."
                )
            own[name][...] = value

    def save(self, path):
        """Save the weights to a .npz file (plain arrays, never pickle)."""
        np.savez(path, **self.state_dict())

    def load(self, path):
        """Load weights saved by save() into this network (which must have the same shape).

        Raises DataError if `path` is not a weights file written by save() (missing, empty,
        text, one bare array, cut off), ShapeError if it holds another architecture's weights.
        """
        self.load_state_dict(read_weights(path))
        return self

    def __repr__(self):
        lines = [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + f"\n)  # {self.num_parameters():,} parameters"


def read_weights(path):
    """The arrays of a .npz file written by Sequential.save(): {name: array}.

    Raises DataError, saying what the file is instead, when it is not such a file.
    """
    if isinstance(path, (str, os.PathLike)):
        path = Path(path)
        if not path.is_file():
            raise DataError(
                f"There is no weights file {path}. Check the name and folder, or save the "
                f"weights first: model.save({str(path)!r})."
            )
        with open(path, "rb") as file:
            start = file.read(64)
        if not start:
            raise DataError(
                f"{path} is empty (0 bytes): saving it did not finish (interrupted, or the disk "
                "was full). Train or load the network again and save it with model.save(...)."
            )
        if not start.startswith(b"PK"):  # every .npz file is a zip archive
            raise DataError(
                f"{path} is not a weights file written by model.save(): {what_file(start)}"
            )
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {name: saved[name] for name in saved.files}
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as err:
        raise DataError(
            f"{path} cannot be read as weights ({type(err).__name__}: {err}): it is cut off or "
            "corrupt. Save the weights again with model.save(...)."
        ) from None


def what_file(start):
    """What the first bytes of a file say it is, in a sentence for read_weights's message."""
    if start.startswith(b"\x93NUMPY"):
        return (
            "it holds one bare NumPy array (np.save), not a network's named weights. Save "
            "with model.save('weights.npz') and load that file."
        )
    text = start.decode("utf-8", errors="ignore")  # (ignores a character cut at the end)
    if text and all(char.isprintable() or char in "\t\r\n" for char in text):
        return f"it is a text file (it starts with {text[:30]!r}). Expected a .npz file."
    return f"it starts with the bytes {start[:8]!r}. Expected a .npz file (a zip archive)."


def MLP(sizes, activation="relu", seed=0, dtype=np.float32):
    """A feedforward network from its layer sizes, e.g. MLP([784, 128, 64, 10]).

    Builds Linear(784, 128), φ, Linear(128, 64), φ, Linear(64, 10): every hidden
    layer is followed by the activation φ; the output layer has none (ŷ = M_out·o_N + b_out).
    Weights use He initialisation for ReLU and Xavier otherwise, from one seeded generator.
    """
    if isinstance(sizes, numbers.Integral):
        given = [sizes]  # MLP(784, 128, 10) puts 128 into activation and 10 into seed
        if isinstance(activation, numbers.Integral):
            given += [activation] + ([seed] if isinstance(seed, numbers.Integral) and seed else [])
        raise TypeError(
            f"MLP takes the layer sizes as one list: MLP({given}), not "
            f"MLP({', '.join(map(str, given))})."
        )
    if len(sizes) < 2 or not all(isinstance(n, numbers.Integral) and n > 0 for n in sizes):
        raise ValueError(
            f"MLP needs a list of at least two positive whole numbers (input, hidden..., "
            f"output sizes), e.g. MLP([784, 128, 10]); got {sizes}."
        )
    rng = np.random.default_rng(seed)
    init = "he" if str(activation).lower() == "relu" else "xavier"
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Linear(n_in, n_out, init=init, rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(get_activation(activation))
    return Sequential(*layers)
