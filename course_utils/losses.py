"""Loss functions and the cost J (notebook 03), with their gradients (notebook 04).

loss(ŷ_i, y_i) measures one prediction; the cost J = 1/M Σ_i loss(ŷ_i, y_i) is its
mean over a batch of M examples. Small is good.
"""

import numpy as np

from .errors import ShapeError


def softmax(logits, axis=-1):
    """p_c = exp(ŷ_c) / Σ_c' exp(ŷ_c'), computed stably.

    Subtracting the largest logit first changes nothing mathematically (it cancels
    in the fraction) but keeps exp from overflowing: logits of 1000 are fine.
    logits (batch, C) -> probabilities (batch, C), each row summing to 1.
    """
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(logits, axis=-1):
    """log p_c = ŷ_c - log Σ_c' exp(ŷ_c') (log-sum-exp), never log(0)."""
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def as_predictions(y_hat):
    y_hat = np.asarray(y_hat)
    if y_hat.dtype.kind not in "biuf":
        raise ShapeError(f"Predictions must be numbers, got an array of dtype {y_hat.dtype}.")
    if y_hat.ndim >= 1 and len(y_hat) == 0:
        raise ShapeError(
            f"The loss got an empty batch (predictions of shape {y_hat.shape}): the mean cost of "
            "0 examples is 0/0. Does a batch loop run one step too far? "
            "range(0, len(x), batch_size) gives every start once, and no empty batch."
        )
    return y_hat.reshape(-1, 1) if y_hat.ndim == 1 else y_hat


def mse(y_hat, y):
    """J = 1/M Σ_i 1/k Σ_j (y_ij - ŷ_ij)²: the slides' MSE averaged over the batch.

    y_hat, y: (batch, k) or (batch,) for one output. Returns a Python float.
    """
    return MSELoss()(y_hat, y)


def cross_entropy(logits, y):
    """J = 1/M Σ_i -Σ_c y_ic log p_ic with p = softmax(logits).

    logits (batch, C); y: class indices (batch,) or one-hot (batch, C). Returns a float.
    """
    return CrossEntropyLoss()(logits, y)


class MSELoss:
    """Mean squared error: loss(ŷ_i, y_i) = 1/k Σ_j (y_ij - ŷ_ij)², J = mean over the batch.

    J = loss_fn(y_hat, y) with y_hat, y of shape (batch, k); loss_fn.backward() -> ∂J/∂ŷ (batch, k).
    """

    def __call__(self, y_hat, y):
        y_hat = as_predictions(y_hat)
        y = np.asarray(y, dtype=y_hat.dtype if y_hat.dtype.kind == "f" else np.float64)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape != y_hat.shape:
            raise ShapeError(
                f"MSELoss needs targets y of the same shape as the predictions ŷ {y_hat.shape}, "
                f"but y has shape {y.shape}. Reshape y to {y_hat.shape}."
            )
        self.diff = y_hat - y
        return float(np.mean(self.diff**2))

    def backward(self):
        """∂J/∂ŷ = 2 (ŷ - y) / (M k), shape (batch, k)."""
        if getattr(self, "diff", None) is None:
            raise RuntimeError("MSELoss.backward() was called before computing the loss.")
        return 2 * self.diff / self.diff.size

    def __repr__(self):
        return "MSELoss()"


class CrossEntropyLoss:
    """Softmax + cross-entropy from logits: J = mean over the batch of -log p_i,correct.

    J = loss_fn(logits, y): logits (batch, C) are the network's raw outputs ŷ;
    y holds class indices (batch,) or one-hot rows (batch, C).
    loss_fn.backward() -> ∂J/∂logits = (p - y_onehot) / M, shape (batch, C).
    """

    def __call__(self, logits, y):
        logits = as_predictions(logits)
        if logits.dtype.kind != "f":
            logits = logits.astype(np.float64)
        self.targets = self.check_targets(y, logits.shape)
        shifted = logits - logits.max(axis=1, keepdims=True)  # stable, as in softmax()
        p = np.exp(shifted)
        total = p.sum(axis=1, keepdims=True)
        p /= total  # in place: the exponentials become the probabilities p
        self.p = p  # kept: backward needs exactly these, no second softmax
        # -log p_c = log Σ exp(shifted) − shifted_c: never log(0), whatever the logits
        if self.targets.ndim == 1:  # class indices: only the correct class's term counts
            correct = shifted[np.arange(len(p)), self.targets]
            return float((np.log(total[:, 0]) - correct).sum()) / len(p)
        return float(-np.sum(self.targets * (shifted - np.log(total))) / len(p))

    @staticmethod
    def check_targets(y, shape):
        """y as class indices (batch,) or rows of probabilities (batch, C), else a clear error."""
        batch, n_classes = shape
        y = np.asarray(y)
        if y.shape == (batch,) and y.dtype.kind in "iu":
            if y.min(initial=0) < 0 or y.max(initial=0) >= n_classes:
                raise ShapeError(
                    f"Class indices must lie in 0..{n_classes - 1} for {n_classes} logits, "
                    f"but y contains {y.min()}..{y.max()}."
                )
            return y
        if y.shape == (batch,):
            raise ShapeError(
                f"CrossEntropyLoss got targets of dtype {y.dtype}: class indices must be "
                "integers. Use y.astype(int), or pass one-hot rows of shape "
                f"{shape}."
            )
        if y.shape == shape:
            if not np.allclose(y.sum(axis=1), 1) or y.min() < 0:
                raise ShapeError(
                    "CrossEntropyLoss got targets of shape (batch, C) whose rows are not "
                    "probabilities (non-negative, summing to 1). Pass one-hot rows such as "
                    "(1, 0), or class indices of shape (batch,)."
                )
            return y
        raise ShapeError(
            f"CrossEntropyLoss expects targets as class indices of shape ({batch},) or "
            f"one-hot rows of shape {shape}, but got shape {y.shape}."
        )

    def backward(self):
        """∂J/∂logits = (p - y) / M: softmax and cross-entropy together give a simple gradient."""
        if getattr(self, "p", None) is None:
            raise RuntimeError("CrossEntropyLoss.backward() was called before computing the loss.")
        M = len(self.p)
        if self.targets.ndim == 2:
            return ((self.p - self.targets) / M).astype(self.p.dtype)
        grad = self.p / M  # p from forward, reused
        grad[np.arange(M), self.targets] -= 1 / M  # minus the one-hot y, without building it
        return grad

    def __repr__(self):
        return "CrossEntropyLoss()"
