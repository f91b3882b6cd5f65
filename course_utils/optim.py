"""Optimizers (notebook 05): how a parameter p moves once ∂J/∂p is known.

Each optimizer asks the model for its (parameter, gradient) pairs at every step
and changes the parameter arrays in place.

Weight decay (notebook 06) is L2 regularisation: training minimises
J_total = J + λ/2 Σ M² (the sum runs over every entry of every weight matrix M),
so every weight gets the extra gradient ∂(λ/2 M²)/∂M = λ M and is pulled towards 0
at each step. Bias vectors b are not decayed: a bias only shifts where a neuron
switches on, it does not make the function steeper, and pulling it to 0 would
only add error. (PyTorch's weight_decay adds λ p to every parameter you pass it,
biases included; for our networks the difference is tiny.)
"""

import numbers
import warnings

import numpy as np

from .diagnosis import TrainingWarning, learner_stacklevel


def is_decayed(p):
    """Weight decay applies to the weight matrices M (2-D arrays), not to the biases b (1-D)."""
    return p.ndim >= 2


def l2_penalty(model, weight_decay):
    """λ/2 Σ M² over every weight matrix M of model: what weight decay adds to the cost J."""
    squares = sum(
        float(np.sum(np.square(p, dtype=np.float64)))
        for p, _ in model.parameters()
        if is_decayed(p)
    )
    return 0.5 * weight_decay * squares


def check_number(name, value, low, high=None, low_allowed=True):
    """value if it is a number in [low, high) (low excluded if not low_allowed), else an error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        hint = ""
        if isinstance(value, str):
            hint = f" Write {name}={value.strip()} without quotes." if value.strip() else ""
        raise TypeError(
            f"{name} must be a number, but got {value!r} ({type(value).__name__}).{hint}"
        )
    below = value < low or (value == low and not low_allowed)
    if not np.isfinite(value) or below or (high is not None and value >= high):
        where = f"{'≥' if low_allowed else '>'} {low}" + (
            f" and < {high}" if high is not None else ""
        )
        raise ValueError(f"{name} must be a number {where}, but got {value}.")
    return value


class Optimizer:
    """What SGD and Adam share: the model, α = lr, weight decay λ, and the gradients of a step."""

    def __init__(self, model, lr, weight_decay):
        if not hasattr(model, "parameters"):
            raise TypeError(
                f"The optimizer's first argument must be the network (a Sequential or Linear), "
                f"but got {type(model).__name__}. Write e.g. SGD(model, lr=0.1)."
            )
        self.model = model
        self.lr = check_number("The learning rate lr", lr, 0, low_allowed=False)
        self.weight_decay = check_number("weight_decay", weight_decay, 0)
        self.steps = 0

    def gradients(self):
        """The (p, ∂J_total/∂p) pairs of this step: ∂J/∂p, plus λ p for every weight matrix."""
        pairs = self.model.parameters()
        if self.steps == 0 and not any(np.any(grad) for _, grad in pairs):
            warnings.warn(
                "optimizer.step() changes nothing: every gradient ∂J/∂p is 0. If no backward "
                "pass has run yet, the order for each batch is: out = model(x); "
                "J = loss_fn(out, y); model.backward(loss_fn.backward()); optimizer.step(). "
                "If it has, the gradients really are 0: are the inputs all 0, or all weights "
                "equal (zero initialisation)?",
                TrainingWarning,
                stacklevel=learner_stacklevel(),
            )
        self.steps += 1
        if self.weight_decay == 0:
            return pairs
        return [(p, grad + self.weight_decay * p if is_decayed(p) else grad) for p, grad in pairs]


class SGD(Optimizer):
    """Stochastic gradient descent: p → p − α ∂J/∂p (α = lr).

    With momentum μ > 0 it keeps a velocity v per parameter:
    v → μ v + ∂J/∂p,  p → p − α v  (the same convention as PyTorch).
    weight_decay λ > 0 adds λ M to the gradient of every weight matrix (see the module's text).
    """

    def __init__(self, model, lr=0.01, momentum=0.0, weight_decay=0.0):
        super().__init__(model, lr, weight_decay)
        self.momentum = check_number("momentum", momentum, 0, 1)
        self.velocity = None

    def step(self):
        pairs = self.gradients()
        if self.momentum == 0:
            for p, grad in pairs:
                p -= self.lr * grad
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p, _ in pairs]
        for (p, grad), v in zip(pairs, self.velocity):
            v *= self.momentum
            v += grad
            p -= self.lr * v

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class Adam(Optimizer):
    """Adam: gradient descent with a running mean m and mean square v of each gradient.

    m → β1 m + (1−β1) g,  v → β2 v + (1−β2) g²,  p → p − α m̂ / (√v̂ + ε),
    where m̂, v̂ correct the bias of starting at zero. weight_decay λ > 0 adds λ M to
    g for every weight matrix, as PyTorch's Adam does (AdamW, which decays p directly
    instead, is a different method). Values of m and v smaller than
    1e-30 are set to 0: they would otherwise decay into denormal numbers, which CPUs
    process up to 100× slower (weights of MNIST's always-blank border pixels).
    flush_tiny=False turns this off, to measure the effect (scripts/benchmark_mnist.py --adam).
    """

    def __init__(
        self, model, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, flush_tiny=True
    ):
        super().__init__(model, lr, weight_decay)
        self.betas = tuple(check_number("Each of Adam's betas", b, 0, 1) for b in betas)
        self.eps = check_number("eps", eps, 0, low_allowed=False)
        self.flush_tiny = flush_tiny
        self.m = self.v = None
        self.t = 0

    def step(self):
        pairs = self.gradients()
        if self.m is None:
            self.m = [np.zeros_like(p) for p, _ in pairs]
            self.v = [np.zeros_like(p) for p, _ in pairs]
        beta1, beta2 = self.betas
        self.t += 1
        for (p, grad), m, v in zip(pairs, self.m, self.v):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            if self.flush_tiny and self.t % 100 == 0:  # flush would-be denormals now and then
                m[np.abs(m) < 1e-30] = 0
                v[v < 1e-30] = 0
            m_hat = m / (1 - beta1**self.t)
            v_hat = v / (1 - beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self):
        return (
            f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, "
            f"weight_decay={self.weight_decay})"
        )
