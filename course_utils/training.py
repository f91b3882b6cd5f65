"""Training and evaluation (notebooks 05–07).

The slides' procedure, repeated for every batch of every epoch:
predict the batch, compute the cost J, compute ∂J/∂p by backpropagation,
update p → p − α ∂J/∂p (the optimizer), go on with the next batch.
"""

import time

import numpy as np

from .errors import ShapeError, TrainingDiverged
from .layers import Sequential
from .losses import CrossEntropyLoss, softmax


def predict_proba(model, x, batch_size=4096):
    """Class probabilities softmax(model(x)), shape (N, C), computed in batches."""
    return np.concatenate(
        [softmax(model.forward(x[i : i + batch_size])) for i in range(0, len(x), batch_size)]
    )


def predict(model, x, batch_size=4096):
    """The predicted class argmax_c p_c for every example: int array of shape (N,)."""
    return np.concatenate(
        [model.forward(x[i : i + batch_size]).argmax(axis=1) for i in range(0, len(x), batch_size)]
    )


def accuracy(predictions, y):
    """Fraction of correct predictions, a float in [0, 1].

    predictions: class indices (N,) or scores/logits/probabilities (N, C);
    y: class indices (N,) or one-hot (N, C).
    """
    predictions, y = np.asarray(predictions), np.asarray(y)
    if predictions.ndim == 2:
        predictions = predictions.argmax(axis=1)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    if predictions.shape != y.shape:
        raise ShapeError(
            f"accuracy needs one prediction per label: got {predictions.shape[0]} "
            f"predictions and {y.shape[0]} labels."
        )
    return float(np.mean(predictions == y))


def confusion_matrix(y_true, y_pred, num_classes=None):
    """counts[i, j] = how many examples of true class i were predicted as class j.

    y_true, y_pred: class indices (N,). Returns an int array (C, C).
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if num_classes is None:
        num_classes = int(max(y_true.max(), y_pred.max())) + 1
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def evaluate(model, loss_fn, x, y, batch_size=4096):
    """(cost J over all of x, accuracy or None): accuracy only for a classification loss."""
    total, correct = 0.0, 0
    for i in range(0, len(x), batch_size):
        out = model.forward(x[i : i + batch_size])
        total += loss_fn(out, y[i : i + batch_size]) * len(out)
        if isinstance(loss_fn, CrossEntropyLoss):
            correct += accuracy(out, y[i : i + batch_size]) * len(out)
    acc = correct / len(x) if isinstance(loss_fn, CrossEntropyLoss) else None
    return total / len(x), acc


class History(dict):
    """What fit() measured, one entry per epoch: train_loss, val_loss, train_acc, val_acc.

    Also best_epoch (1-based, the epoch with the lowest validation loss, or None)
    and seconds (training time per epoch).
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def progress_bar(total, enabled, description):
    """A tqdm bar (a widget in Jupyter, text elsewhere), or None when progress is off."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit="epoch", leave=True)


def check_training_data(model, x, y, name):
    x = np.asarray(x)
    if len(x) != len(y):
        raise ShapeError(
            f"{name}: x has {len(x)} examples but y has {len(y)}: they must match one to one."
        )
    first = model.layers[0] if hasattr(model, "layers") else model
    n_in = getattr(first, "in_features", None)
    if n_in is not None and (x.ndim != 2 or x.shape[1] != n_in):
        hint = ""
        if x.ndim >= 3 and int(np.prod(x.shape[1:])) == n_in:
            hint = f" Flatten the inputs first: x.reshape(len(x), {n_in})."
        raise ShapeError(
            f"{name}: the network expects inputs of shape (N, {n_in}) but got {x.shape}.{hint}"
        )
    return x


def train_one_epoch(model, loss_fn, optimizer, x, y, batch_size, rng, epoch=1):
    """One pass over the training set in shuffled mini-batches: the slides' procedure.

    For every batch: predict, compute the cost J, backpropagate ∂J/∂p, update p.
    Returns (mean cost over the epoch, accuracy or None). rng: a numpy Generator.
    Raises TrainingDiverged, naming epoch and batch, if J becomes NaN or infinite.
    """
    classify = isinstance(loss_fn, CrossEntropyLoss)
    order = rng.permutation(len(x))
    total, correct = 0.0, 0.0
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for batch, i in enumerate(range(0, len(x), batch_size), start=1):
            idx = order[i : i + batch_size]
            out = model.forward(x[idx])
            cost = loss_fn(out, y[idx])
            if not np.isfinite(cost):
                raise TrainingDiverged(
                    f"The cost J became {cost} in epoch {epoch}, batch {batch}: training "
                    f"diverged. The learning rate (lr={getattr(optimizer, 'lr', '?')}) is "
                    "probably too large: try one 10 times smaller, or scale your inputs."
                )
            if isinstance(model, Sequential):  # the data's own gradient is never needed
                model.backward(loss_fn.backward(), input_grad=False)
            else:
                model.backward(loss_fn.backward())
            optimizer.step()
            total += cost * len(idx)
            if classify:
                correct += accuracy(out, y[idx]) * len(idx)
    return total / len(x), (correct / len(x) if classify else None)


def fit(
    model,
    loss_fn,
    optimizer,
    x_train,
    y_train,
    epochs=10,
    batch_size=64,
    x_val=None,
    y_val=None,
    seed=0,
    keep_best=False,
    progress=True,
    callback=None,
):
    """Train model with mini-batch stochastic gradient descent and return a History.

    x_train (N, n_in), y_train (N,) class indices or (N, k) targets; likewise x_val, y_val.
    Every epoch shuffles the training set with a generator seeded by `seed`, so the same
    seed gives the same numbers. keep_best=True restores the weights of the epoch with the
    lowest validation loss at the end. callback(epoch, history) runs after every epoch
    (for live plots). Raises TrainingDiverged if the cost becomes NaN or infinite.
    """
    x_train = check_training_data(model, x_train, y_train, "fit (training data)")
    has_val = x_val is not None
    if has_val:
        x_val = check_training_data(model, x_val, y_val, "fit (validation data)")
    rng = np.random.default_rng(seed)
    history = History(train_loss=[], val_loss=[], train_acc=[], val_acc=[], seconds=[])
    history["best_epoch"] = None
    best_loss, best_state = np.inf, None
    bar = progress_bar(epochs, progress, type(optimizer).__name__)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        try:
            loss, acc = train_one_epoch(
                model, loss_fn, optimizer, x_train, y_train, batch_size, rng, epoch
            )
        except TrainingDiverged:
            if bar is not None:
                bar.close()
            raise
        history["seconds"].append(time.perf_counter() - start)
        history["train_loss"].append(loss)
        history["train_acc"].append(acc)
        if has_val:
            val_loss, val_acc = evaluate(model, loss_fn, x_val, y_val)
            history["val_loss"].append(val_loss)
            history["val_acc"].append(val_acc)
            if val_loss < best_loss:
                best_loss, history["best_epoch"] = val_loss, epoch
                if keep_best:
                    best_state = {k: v.copy() for k, v in model.state_dict().items()}
        if bar is not None:
            shown = {"loss": f"{history['train_loss'][-1]:.4f}"}
            if has_val:
                shown["val_loss"] = f"{history['val_loss'][-1]:.4f}"
            bar.set_postfix(shown)
            bar.update(1)
        if callback is not None:
            callback(epoch, history)
    if bar is not None:
        bar.close()
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history
