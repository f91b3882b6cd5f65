"""Exercises of notebook 05 (stochastic gradient descent).

The references are plain NumPy; the library's versions are course_utils.optim.SGD (update and
momentum) and the loop in course_utils.training.train_one_epoch (mini-batches, the training
loop `train`).
"""

import numpy as np

from ..layers import MLP
from ..losses import CrossEntropyLoss, MSELoss
from ..optim import SGD
from . import Exercise, Mistake, register
from .batches import problem as batch_problem

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
        outputs="the new params[{i}]",
        first_pass="only the first parameter is updated",
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


def batch_slips(got, expected, context):
    """Name batches of the wrong sizes (the whole set, one short, equal pieces, …)."""
    n, batch_size = context.args[0], context.args[1]
    sizes = [len(batch) for batch in got]
    found = batch_problem(sizes, [len(b) for b in expected], n, batch_size, network=False)
    if not found or found[0] in ("whole", "sizes"):
        return {}
    key, sentence = found
    return {("batches", key): sentence[:1].upper() + sentence[1:]}


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
            (7, 2, np.random.default_rng(3)),
        ],
        outputs="batch {i}",
        diagnosis=batch_slips,
        length_hint="every batch holds batch_size indices, order[start : start + batch_size], "
        "and only the last one may hold fewer (the rest).",
        first_pass="only the first batch is made",
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
        outputs=("new_params", "new_velocities"),
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
                "μ multiplies the gradient too: v → μ (v + ∂J/∂p) shrinks the new gradient. "
                "Only the old velocity is scaled: v → μ v + ∂J/∂p.",
                momentum_variant(lambda v, g, mu: mu * (v + g)),
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
            Mistake(
                "α is inside the velocity (v → μ v + α ∂J/∂p, then p → p − v): that is another "
                "convention. This course (like course_utils.SGD and PyTorch) keeps α out of v: "
                "v → μ v + ∂J/∂p, then p → p − α v.",
                lambda params, grads, velocities, lr, momentum: (
                    [p - momentum * v - lr * g for p, g, v in zip(params, grads, velocities)],
                    [momentum * v + lr * g for g, v in zip(grads, velocities)],
                ),
            ),
        ],
    )
)

# --- train: the training loop --------------------------------------------------------------


def train(model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
    """The slides' procedure: for every epoch, shuffle once with rng.permutation(len(x)); for
    every batch of that order: predict, cost J, backward, update. Returns the list of the cost
    J of every batch, in order (one float per update).

    model, loss_fn, optimizer: course_utils objects (a Sequential, a loss, SGD or Adam);
    x (N, n_in), y (N,) class indices or (N, k) targets; rng: a NumPy Generator.
    """
    costs = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start : start + batch_size]
            J = loss_fn(model(x[batch]), y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
            costs.append(float(J))
    return costs


def train_outcome(function, model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
    """What training did: (the costs returned, every weight and bias afterwards, in one row)."""
    costs = function(model, loss_fn, optimizer, x, y, epochs, batch_size, rng)
    if costs is None:
        return None  # check() then says that a `return` is missing
    try:
        costs = np.asarray(costs, dtype=float)
    except (TypeError, ValueError):
        pass  # check() describes what came back
    return costs, np.concatenate([p.ravel() for p, _ in model.parameters()])


def loop_variant(shuffle="epoch", labels_shuffled=True, last_batch=True, step="batch",
                 record="batch"):  # fmt: skip
    """A wrong version of train, for the checks' typical mistakes."""

    def wrong(model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
        costs = []
        once = rng.permutation(len(x)) if shuffle == "once" else None
        for _ in range(epochs):
            order = {"epoch": None, "once": once, "none": np.arange(len(x))}[shuffle]
            if order is None:
                order = rng.permutation(len(x))
            stop = len(x) if last_batch else len(x) - batch_size + 1
            J = None
            for start in range(0, stop, batch_size):
                batch = order[start : start + batch_size]
                targets = y[batch] if labels_shuffled else y[start : start + batch_size]
                J = loss_fn(model(x[batch]), targets)
                if step == "first":
                    optimizer.step()  # before backward: steps with the previous batch's ∂J/∂p
                model.backward(loss_fn.backward())
                if step == "batch":
                    optimizer.step()
                if record == "batch":
                    costs.append(float(J))
            if step == "epoch":
                optimizer.step()
            if record == "epoch":
                costs.append(float(J))
        return costs

    return wrong


def loop_case(kind, n, epochs, batch_size, seed):
    """A small seeded network (float64), data, SGD and a Generator for the shuffles."""
    data = np.random.default_rng(200 + seed)
    if kind == "classes":
        model = MLP([2, 5, 3], seed=seed, dtype=np.float64)
        x, y, loss = data.normal(size=(n, 2)), data.integers(0, 3, n), CrossEntropyLoss()
    else:
        model = MLP([3, 4, 2], seed=seed, dtype=np.float64)
        x, y, loss = data.normal(size=(n, 3)), data.normal(size=(n, 2)), MSELoss()
    return model, loss, SGD(model, lr=0.3), x, y, epochs, batch_size, np.random.default_rng(seed)


def loop_sizes(model, loss_fn, optimizer, x, y, epochs, batch_size, rng):
    per_epoch = -(-len(x) // batch_size)  # batches per epoch, the last one counted
    return {"epochs": epochs, "len(x)": len(x), "batches per epoch": per_epoch,
            "epochs × batches per epoch": epochs * per_epoch}  # fmt: skip


def cost_count(got, expected, context):
    """Name a list of costs with one cost per epoch, or only one epoch's costs."""
    costs, wanted = got[0], expected[0]
    epochs, per_epoch = context.sizes["epochs"], context.sizes["batches per epoch"]
    if len(costs) == len(wanted):
        return {}
    if len(costs) == epochs:
        return {("per epoch",): (
            f"You returned {epochs} costs, one per epoch: return the cost J of every batch, one "
            f"per update ({len(wanted)} here: {epochs} epochs × {per_epoch} batches), "
            "costs.append(J) inside the batch loop."
        )}  # fmt: skip
    if len(costs) == per_epoch and epochs > 1:
        return {("one epoch",): (
            f"You returned {per_epoch} costs, one epoch's worth: return the costs of all "
            f"{epochs} epochs, one list for the whole training (is costs = [] inside the epoch "
            "loop, or is `return` inside it?)."
        )}  # fmt: skip
    return {}


register(
    Exercise(
        name="train",
        reference=train,
        # every size differs (epochs, len(x), x.shape[1], batch_size, batches per epoch), so
        # that a wrong length of the costs is never blamed on a size that merely coincides
        cases=[
            loop_case("classes", 23, 3, 5, 0),
            loop_case("regression", 10, 2, 4, 1),
            loop_case("classes", 12, 5, 4, 2),  # a multiple of batch_size: no extra batch
        ],
        run=train_outcome,
        sizes=loop_sizes,
        batches=True,
        diagnosis=cost_count,
        length_hint="return one cost per update: the cost J of every batch of every epoch.",
        first_pass="only the first batch is trained",
        outputs=("the list of costs you returned", "the weights and biases after training"),
        where="course_utils.checks.nb05_sgd.train (course_utils.fit runs the same loop, "
        "see course_utils.training.train_one_epoch)",
        mistakes=[
            Mistake(
                "The batches are not shuffled: every epoch should take the examples in a new "
                "random order, order = rng.permutation(len(x)), and cut that into batches.",
                loop_variant(shuffle="none"),
            ),
            Mistake(
                "You shuffled once, before all epochs: every epoch then sees the same batches. "
                "Draw order = rng.permutation(len(x)) inside the epoch loop.",
                loop_variant(shuffle="once"),
            ),
            Mistake(
                "The inputs are shuffled but the targets are not: x[batch] needs y[batch], with "
                "the same indices, or every example gets another example's answer.",
                loop_variant(labels_shuffled=False),
            ),
            Mistake(
                "The last, smaller batch is left out: range(0, len(x), batch_size) visits every "
                "start, also one whose batch holds fewer than batch_size examples.",
                loop_variant(last_batch=False),
            ),
            Mistake(
                "The weights never changed: after the cost, every batch needs "
                "model.backward(loss_fn.backward()) (∂J/∂p) and then optimizer.step() "
                "(p → p − α ∂J/∂p).",
                loop_variant(step="never"),
            ),
            Mistake(
                "optimizer.step() comes too early: it uses the gradients stored by the previous "
                "batch's backward pass. The order is cost, model.backward(loss_fn.backward()), "
                "then optimizer.step().",
                loop_variant(step="first"),
            ),
            Mistake(
                "One update per epoch: optimizer.step() belongs inside the batch loop, once "
                "for every batch (that is what makes it stochastic gradient descent).",
                loop_variant(step="epoch"),
            ),
            Mistake(
                "You returned one cost per epoch: return the cost J of every batch, "
                "costs.append(J) inside the batch loop.",
                loop_variant(record="epoch"),
            ),
        ],
    )
)
