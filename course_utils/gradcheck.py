"""Gradient checking (notebook 04): compare backprop with finite differences.

The derivative of f at p is close to (f(p + ε) − f(p − ε)) / (2ε). This is slow
(two forward passes per number) but simple enough to trust, so it checks the fast
backward pass. Use float64: in float32 rounding errors swamp the comparison.
"""

import numpy as np


def numerical_gradient(f, p, eps=1e-6):
    """∂f/∂p by central differences, changing the array p in place (and restoring it).

    f: a function of no arguments returning a float that depends on p.
    p: a float array of any shape. Returns an array of p's shape.
    """
    grad = np.zeros(p.shape, dtype=np.float64)
    for index in np.ndindex(p.shape):
        original = p[index]
        p[index] = original + eps
        f_plus = f()
        p[index] = original - eps
        f_minus = f()
        p[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """max |a − b| / max(|a| + |b|): about 1e-7 or less means "the same" in float64."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.max(np.abs(a) + np.abs(b))
    return float(np.max(np.abs(a - b)) / scale) if scale > 0 else 0.0


def check_gradients(model, loss_fn, x, y, eps=1e-6):
    """Relative error between backprop and finite differences for every parameter.

    model: anything with forward, backward and parameters() (a Linear, a Sequential).
    Returns {"0.M": error, "0.b": error, ...} (index of the parameter pair, M or b).
    """
    loss_fn(model.forward(x), y)
    model.backward(loss_fn.backward())
    errors = {}
    for i, (p, grad) in enumerate(model.parameters()):
        if p.dtype != np.float64:
            raise TypeError(
                "Gradient checks need float64 parameters: build the model with dtype=np.float64."
            )
        analytic = grad.copy()
        numeric = numerical_gradient(lambda: loss_fn(model.forward(x), y), p, eps)
        name = "M" if p.ndim == 2 else "b"
        errors[f"{i // 2}.{name}"] = relative_error(analytic, numeric)
    return errors


def check_input_gradient(layer, x, eps=1e-6, seed=0):
    """Relative error of a layer's ∂J/∂x, for J = Σ (layer(x) · R) with a fixed random R.

    Works for any layer with forward(x) and backward(grad), activations included.
    x: float64 array of the shape the layer expects.
    """
    x = np.array(x, dtype=np.float64)
    weights = np.random.default_rng(seed).standard_normal(np.shape(layer.forward(x)))
    analytic = layer.backward(weights)
    numeric = numerical_gradient(lambda: float(np.sum(layer.forward(x) * weights)), x, eps)
    return relative_error(analytic, numeric)
