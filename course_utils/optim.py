"""Optimizers (notebook 05): how a parameter p moves once ∂J/∂p is known.

Each optimizer asks the model for its (parameter, gradient) pairs at every step
and changes the parameter arrays in place.
"""

import numpy as np


class SGD:
    """Stochastic gradient descent: p → p − α ∂J/∂p (α = lr).

    With momentum μ > 0 it keeps a velocity v per parameter:
    v → μ v + ∂J/∂p,  p → p − α v  (the same convention as PyTorch).
    """

    def __init__(self, model, lr=0.01, momentum=0.0):
        if not lr > 0:
            raise ValueError(f"The learning rate lr must be a positive number, got {lr}.")
        self.model, self.lr, self.momentum = model, lr, momentum
        self.velocity = None

    def step(self):
        pairs = self.model.parameters()
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
        return f"SGD(lr={self.lr}, momentum={self.momentum})"


class Adam:
    """Adam: gradient descent with a running mean m and mean square v of each gradient.

    m → β1 m + (1−β1) g,  v → β2 v + (1−β2) g²,  p → p − α m̂ / (√v̂ + ε),
    where m̂, v̂ correct the bias of starting at zero. Values of m and v smaller than
    1e-30 are set to 0: they would otherwise decay into denormal numbers, which CPUs
    process up to 100× slower (weights of MNIST's always-blank border pixels).
    flush_tiny=False turns this off, to measure the effect (scripts/benchmark_mnist.py --adam).
    """

    def __init__(self, model, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, flush_tiny=True):
        if not lr > 0:
            raise ValueError(f"The learning rate lr must be a positive number, got {lr}.")
        self.model, self.lr, self.betas, self.eps = model, lr, betas, eps
        self.flush_tiny = flush_tiny
        self.m = self.v = None
        self.t = 0

    def step(self):
        pairs = self.model.parameters()
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
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps})"
