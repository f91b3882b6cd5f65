"""Training and evaluation (notebooks 05–07).

The slides' procedure, repeated for every batch of every epoch:
predict the batch, compute the cost J, compute ∂J/∂p by backpropagation,
update p → p − α ∂J/∂p (the optimizer), go on with the next batch.
"""

import math
import time

import numpy as np

from .data import ScaledImages
from .diagnosis import Diagnosis
from .errors import ShapeError, TrainingDiverged
from .layers import Sequential, as_batch
from .losses import CrossEntropyLoss, softmax


def as_inputs(model, x, who):
    """x as something fit and predict can take batches of: an array (N, n_in) or ScaledImages.

    A wrong shape is explained here, at the call the learner made, not deep inside a layer.
    """
    if not isinstance(x, ScaledImages):
        x = np.asarray(x)
    first = model.layers[0] if hasattr(model, "layers") else model
    n_in = getattr(first, "in_features", None)
    if n_in is not None and (len(x.shape) != 2 or x.shape[1] != n_in):
        as_batch(x, n_in, np.float32, who)  # raises a ShapeError with a hint on the fix
    return x


def predict_proba(model, x, batch_size=4096):
    """Class probabilities softmax(model(x)), shape (N, C), computed in batches."""
    x = as_inputs(model, x, "predict_proba")
    return np.concatenate(
        [softmax(model.forward(x[i : i + batch_size])) for i in range(0, len(x), batch_size)]
    )


def predict(model, x, batch_size=4096):
    """The predicted class argmax_c p_c for every example: int array of shape (N,)."""
    x = as_inputs(model, x, "predict")
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
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.ndim == 2:
            raise ShapeError(
                f"confusion_matrix needs class indices of shape (N,), but {name} has shape "
                f"{y.shape} (one-hot rows or scores?). Take the class of each row first: "
                f"{name}.argmax(axis=1)."
            )
        if y.ndim != 1 or (y.size and (y.dtype.kind not in "iu" or y.min() < 0)):
            raise ShapeError(
                f"confusion_matrix needs class indices 0, 1, 2, ... of shape (N,), but {name} "
                f"has shape {y.shape} and dtype {y.dtype}."
            )
    if len(y_true) != len(y_pred):
        raise ShapeError(
            f"confusion_matrix needs one prediction per label: got {len(y_pred)} predictions "
            f"and {len(y_true)} labels."
        )
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def evaluate(model, loss_fn, x, y, batch_size=4096):
    """(cost J over all of x, accuracy or None): accuracy only for a classification loss."""
    x = as_inputs(model, x, "evaluate")
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

    Also best_epoch (1-based, the epoch with the lowest validation loss, or None),
    seconds (training time per epoch), and the diagnosis: warnings (the messages, in the
    order they came) and diagnoses (their names, e.g. "lr_too_large"; see diagnosis.py).
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
    """(x, y) ready for training, or a clear error about their shapes."""
    x, y = as_inputs(model, x, name), np.asarray(y)
    if len(x) == 0:
        raise ShapeError(f"{name}: x has no examples (shape {x.shape}); nothing to train on.")
    if len(x) != len(y):
        raise ShapeError(
            f"{name}: x has {len(x)} examples but y has {len(y)}: they must match one to one."
        )
    return x, y


def check_training_setup(model, loss_fn, optimizer):
    """Catch the slips of writing fit's first three arguments."""
    for given, example in ((loss_fn, "CrossEntropyLoss()"), (optimizer, "SGD(model, lr=0.1)")):
        if isinstance(given, type):
            raise TypeError(
                f"fit got the class {given.__name__} itself: create one first, e.g. {example}."
            )
    if getattr(optimizer, "model", model) is not model:
        raise ValueError(
            "This optimizer updates another network than the one given to fit: create it "
            "for this one, e.g. optimizer = SGD(model, lr=0.1) with the same model."
        )


def diverged(cost, epoch, batch, advice):
    """A TrainingDiverged saying where the cost J stopped being a number, and what to try."""
    error = TrainingDiverged(
        f"The cost J became {cost} in epoch {epoch}, batch {batch}: training diverged. {advice}"
    )
    error.cost, error.epoch, error.batch = cost, epoch, batch  # for fit to name another cause
    return error


def train_one_epoch(model, loss_fn, optimizer, x, y, batch_size, rng, epoch=1, batch_costs=None):
    """One pass over the training set in shuffled mini-batches: the slides' procedure.

    For every batch: predict, compute the cost J, backpropagate ∂J/∂p, update p.
    Returns (mean cost over the epoch, accuracy or None). rng: a numpy Generator.
    batch_costs: a list that receives J of every batch (for the diagnosis), or None.
    Raises TrainingDiverged, naming epoch and batch, if J becomes NaN or infinite.
    """
    classify = isinstance(loss_fn, CrossEntropyLoss)
    labels = np.asarray(y)
    if classify and labels.ndim == 2:
        labels = labels.argmax(axis=1)  # one-hot rows -> class indices, once per epoch
    order = rng.permutation(len(x))
    total, correct = 0.0, 0
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for batch, i in enumerate(range(0, len(x), batch_size), start=1):
            # gathering 64 shuffled rows keeps them in the CPU cache for the product that
            # follows: measured faster than a shuffled copy of the whole set, and no 2nd copy
            idx = order[i : i + batch_size]
            out = model.forward(x[idx])
            cost = loss_fn(out, y[idx])
            if not math.isfinite(cost):
                lr = getattr(optimizer, "lr", "?")
                raise diverged(
                    cost, epoch, batch, f"The learning rate (lr={lr}) is probably too large: "
                    "try one 10 times smaller, or scale your inputs.",
                )  # fmt: skip
            if isinstance(model, Sequential):  # the data's own gradient is never needed
                model.backward(loss_fn.backward(), input_grad=False)
            else:
                model.backward(loss_fn.backward())
            optimizer.step()
            total += cost * len(idx)
            if batch_costs is not None:
                batch_costs.append(cost)
            if classify:
                correct += int(np.count_nonzero(out.argmax(axis=1) == labels[idx]))
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
    diagnose=True,
):
    """Train model with mini-batch stochastic gradient descent and return a History.

    x_train (N, n_in), y_train (N,) class indices or (N, k) targets; likewise x_val, y_val.
    Inputs may also be ScaledImages (uint8 images, scaled batch by batch).
    Every epoch shuffles the training set with a generator seeded by `seed`, so the same
    seed gives the same numbers. keep_best=True restores the weights of the epoch with the
    lowest validation loss at the end. callback(epoch, history) runs after every epoch
    (for live plots). diagnose=True warns (TrainingWarning) when training goes wrong in a
    typical way, naming the likely cause and the fix (see course_utils.diagnosis);
    "quiet" only records the warnings in history["warnings"]; False turns it off.
    Raises TrainingDiverged if the cost becomes NaN or infinite.
    """
    check_training_setup(model, loss_fn, optimizer)
    x_train, y_train = check_training_data(model, x_train, y_train, "fit (training data)")
    has_val = x_val is not None
    if has_val:
        x_val, y_val = check_training_data(model, x_val, y_val, "fit (validation data)")
    if diagnose not in (True, False, "quiet"):
        raise ValueError(f'diagnose must be True, False or "quiet", got {diagnose!r}.')
    rng = np.random.default_rng(seed)
    history = History(train_loss=[], val_loss=[], train_acc=[], val_acc=[], seconds=[])
    history.update(best_epoch=None, warnings=[], diagnoses=[])
    doctor = None
    if diagnose:
        classify = isinstance(loss_fn, CrossEntropyLoss)
        doctor = Diagnosis(
            model, optimizer, x_train, y_train, classify, history, quiet=diagnose == "quiet"
        )
        doctor.check_inputs()
    best_loss, best_state = np.inf, None
    bar = progress_bar(epochs, progress, type(optimizer).__name__)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        batch_costs = []
        try:
            loss, acc = train_one_epoch(
                model, loss_fn, optimizer, x_train, y_train, batch_size, rng, epoch, batch_costs
            )
        except TrainingDiverged as stopped:
            if bar is not None:
                bar.close()
            if doctor is not None and doctor.inputs_too_large:  # name the likelier cause
                where = stopped.cost, stopped.epoch, stopped.batch
                raise diverged(*where, doctor.input_advice()) from None
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
        if doctor is not None:
            doctor.after_epoch(epoch, batch_costs, last=epoch == epochs)
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
