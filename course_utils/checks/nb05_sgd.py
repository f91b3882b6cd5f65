"""Exercises of notebook 05 (stochastic gradient descent).

The references are plain NumPy; the library's versions are course_utils.optim.SGD (update and
momentum) and the loop in course_utils.training.train_one_epoch (mini-batches).
"""

import numpy as np

from . import Exercise, Mistake, register

# --- sgd_update ----------------------------------------------------------------------------


def sgd_update(params, grads, lr):
    """One gradient-descent step p → p − α ∂J/∂p for every parameter.

    params, grads: lists of arrays (grads[i] has the shape of params[i]); lr: α.
    Returns a list of the updated parameter arrays.
    """
    return [p - lr * g for p, g in zip(params, grads)]


def update_case(seed, shapes, lr):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s).round(2) for s in shapes]
    grads = [rng.normal(size=s).round(2) for s in shapes]
    return params, grads, lr


register(
    Exercise(
        name="sgd_update",
        reference=sgd_update,
        where="course_utils.checks.nb05_sgd.sgd_update (in the library: course_utils.optim.SGD)",
        cases=[update_case(0, [(2, 3), (2,)], 0.1), update_case(1, [(3,)], 0.5)],
        mistakes=[
            Mistake(
                "Wrong sign: p + α ∂J/∂p walks uphill. Gradient descent subtracts: "
                "p → p − α ∂J/∂p.",
                lambda params, grads, lr: [p + lr * g for p, g in zip(params, grads)],
            ),
            Mistake(
                "You forgot the learning rate α: p → p − α ∂J/∂p, not p − ∂J/∂p.",
                lambda params, grads, lr: [p - g for p, g in zip(params, grads)],
            ),
            Mistake(
                "You returned the step −α ∂J/∂p alone: return the new parameter p − α ∂J/∂p.",
                lambda params, grads, lr: [-lr * g for p, g in zip(params, grads)],
            ),
            Mistake(
                "You multiplied α by the parameter instead of its gradient: p − α ∂J/∂p.",
                lambda params, grads, lr: [p - lr * p for p, g in zip(params, grads)],
            ),
        ],
    )
)

# --- minibatches ---------------------------------------------------------------------------


def minibatches(n, batch_size, rng):
    """Shuffle the indices 0 … n−1 once with rng.permutation(n) and cut them into batches.

    Returns a list of int arrays: every batch has batch_size indices except possibly the
    last one, which has the rest; together they hold every index exactly once.
    """
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


register(
    Exercise(
        name="minibatches",
        reference=minibatches,
        where="course_utils.checks.nb05_sgd.minibatches "
        "(in the library: the loop of course_utils.training.train_one_epoch)",
        cases=[
            (10, 3, np.random.default_rng(0)),
            (8, 4, np.random.default_rng(1)),
            (5, 8, np.random.default_rng(2)),
        ],
        mistakes=[
            Mistake(
                "The batches are not shuffled: shuffle the order once per epoch with "
                "rng.permutation(n), so every epoch sees different batches.",
                lambda n, bs, rng: [np.arange(n)[i : i + bs] for i in range(0, n, bs)],
            ),
            Mistake(
                "You dropped the last, smaller batch: with n = 10 and batch_size = 3 the "
                "batches have 3, 3, 3 and 1 examples; every example belongs to one batch.",
                lambda n, bs, rng: (
                    lambda order: [order[i : i + bs] for i in range(0, n - bs + 1, bs)]
                )(rng.permutation(n)),
            ),
            Mistake(
                "You drew the indices with replacement: some examples appear twice in an "
                "epoch, others never. Shuffle a permutation instead: rng.permutation(n).",
                lambda n, bs, rng: (lambda order: [order[i : i + bs] for i in range(0, n, bs)])(
                    rng.integers(0, n, size=n)
                ),
            ),
            Mistake(
                "You drew a new permutation for every batch: batches overlap and some "
                "examples are never used. Shuffle once, then cut that one order into pieces.",
                lambda n, bs, rng: [rng.permutation(n)[:bs] for _ in range(0, n, bs)],
            ),
        ],
    )
)

# --- momentum_update (stretch) -------------------------------------------------------------


def momentum_update(params, grads, velocities, lr, momentum):
    """One step of SGD with momentum μ, in the convention of course_utils.optim.SGD:

    v → μ v + ∂J/∂p,  then  p → p − α v  (with the new v).
    params, grads, velocities: lists of arrays of matching shapes; lr: α; momentum: μ.
    Returns (new_params, new_velocities), two lists.
    """
    new_velocities = [momentum * v + g for v, g in zip(velocities, grads)]
    new_params = [p - lr * v for p, v in zip(params, new_velocities)]
    return new_params, new_velocities


def momentum_case(seed, shapes, lr, momentum):
    params, grads, _ = update_case(seed, shapes, lr)
    rng = np.random.default_rng(seed + 100)
    velocities = [rng.normal(size=s).round(2) for s in shapes]
    return params, grads, velocities, lr, momentum


def momentum_variant(velocity, step_with_old=False, sign=-1.0):
    """A wrong version of momentum_update, for the checks' typical mistakes."""

    def update(params, grads, velocities, lr, momentum):
        new_v = [velocity(v, g, momentum) for v, g in zip(velocities, grads)]
        used = velocities if step_with_old else new_v
        return [p + sign * lr * v for p, v in zip(params, used)], new_v

    return update


register(
    Exercise(
        name="momentum_update",
        reference=momentum_update,
        where="course_utils.checks.nb05_sgd.momentum_update "
        "(in the library: course_utils.optim.SGD with momentum > 0)",
        cases=[momentum_case(0, [(2, 3), (2,)], 0.1, 0.9), momentum_case(1, [(3,)], 0.05, 0.5)],
        mistakes=[
            Mistake(
                "The velocity does not remember anything: v → μ v + ∂J/∂p keeps μ times the "
                "old velocity; with v = ∂J/∂p this is plain SGD.",
                momentum_variant(lambda v, g, mu: g),
            ),
            Mistake(
                "You forgot μ: v → v + ∂J/∂p never forgets old gradients. Use v → μ v + ∂J/∂p.",
                momentum_variant(lambda v, g, mu: v + g),
            ),
            Mistake(
                "You stepped with the old velocity: first update v → μ v + ∂J/∂p, then move "
                "p → p − α v with the new v.",
                momentum_variant(lambda v, g, mu: mu * v + g, step_with_old=True),
            ),
            Mistake(
                "v → μ v + (1 − μ) ∂J/∂p is a running average (as in Adam); this course's SGD "
                "(like PyTorch's) uses v → μ v + ∂J/∂p.",
                momentum_variant(lambda v, g, mu: mu * v + (1 - mu) * g),
            ),
            Mistake(
                "Wrong sign: the step goes against the velocity, p → p − α v (uphill otherwise).",
                momentum_variant(lambda v, g, mu: mu * v + g, sign=1.0),
            ),
            Mistake(
                "That is the other common convention, v → μ v − α ∂J/∂p and p → p + v (α inside "
                "the velocity). This course (like course_utils.SGD and PyTorch) keeps α out of "
                "v: v → μ v + ∂J/∂p, then p → p − α v.",
                lambda params, grads, velocities, lr, momentum: (
                    [p + momentum * v - lr * g for p, g, v in zip(params, grads, velocities)],
                    [momentum * v - lr * g for g, v in zip(grads, velocities)],
                ),
            ),
        ],
    )
)
