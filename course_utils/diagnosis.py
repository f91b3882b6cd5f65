"""When training goes wrong, say why (notebooks 05–07).

fit() runs a Diagnosis after every epoch. It looks at numbers training already has (the cost
J of every batch, the accuracies) and at one small probe of the training inputs, and warns
ONCE per problem, with the most likely cause and the fix:

    lr_too_large   the cost J exploded, or accuracy is stuck at chance after J rose
    input_scale    inputs far larger than the initialisation assumes (pixels left at 0–255)
    dead_relus     most ReLU units of a hidden layer output 0 for every probed example
    symmetric_weights  all units of a layer identical (zero or constant initialisation)
    no_progress    J flat to 3 digits for several epochs, still where it started (α too small)
    overfitting    far better on the training data than on the validation data
    underfitting   training and validation accuracy both poor at the end (notebook 06)

Each warning is a TrainingWarning (shown in the notebook) and is recorded in
history["warnings"] (its name in history["diagnoses"]). fit(..., diagnose=False) turns this
off; diagnose="quiet" records without warning. A NaN or infinite J still stops training
with TrainingDiverged.
"""

import numbers
import os
import sys
import warnings

import numpy as np

from .activations import ReLU

PROBE_SIZE = 256  # training examples probed for the input scale and for dead ReLUs
HERE = os.path.dirname(os.path.abspath(__file__))


class TrainingWarning(UserWarning):
    """Training runs, but something looks wrong: the message says what, why and what to do."""


def learner_stacklevel():
    """The stacklevel that makes a warning point at the learner's line, not into course_utils."""
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(HERE):
        frame, level = frame.f_back, level + 1
    return level


def probe_rows(n, size=PROBE_SIZE):
    """Up to `size` row indices spread evenly over 0..n-1 (sorted data gets every class)."""
    return np.linspace(0, n - 1, min(n, size)).astype(int)


class Diagnosis:
    """Watches one fit() run; check_inputs() once before training, after_epoch() after each epoch.

    x_train: the training inputs (anything fit accepts); y_train: its targets;
    classify: True for a classification loss (accuracies exist).
    """

    def __init__(self, model, optimizer, x_train, y_train, classify, history, quiet=False):
        self.model, self.optimizer, self.history, self.quiet = model, optimizer, history, quiet
        self.probe = np.asarray(x_train[probe_rows(len(x_train))])
        self.classify = classify
        labels = np.asarray(y_train)
        if classify and labels.ndim == 2:
            labels = labels.argmax(axis=1)  # one-hot rows -> class indices
        if classify and labels.dtype.kind in "iu" and labels.min() >= 0:
            counts = np.bincount(labels)  # chance: always answering the most common class
            self.chance, self.n_classes = counts.max() / len(labels), len(counts)
        else:  # regression, or labels the loss will reject with its own clear message
            self.classify = False
        # the cost of knowing nothing: ln C for C classes (uniform p), Var(y) for regression
        # (always answering the mean); a cost far above it exploded, one near it learned nothing
        if self.classify:
            self.know_nothing = float(np.log(max(self.n_classes, 2)))
        elif labels.dtype.kind in "biuf":
            self.know_nothing = float(np.mean(np.var(labels, axis=0)))
        else:
            self.know_nothing = np.inf
        self.first_cost = None  # J of the very first batch: where training started
        self.previous = self.weights()  # the parameters at the end of the last epoch
        self.moved = np.inf  # how far they moved in the last epoch, relative to their size
        self.worst = (0.0, 0)  # (highest batch J so far, its epoch)
        self.inputs_too_large = self.dead_at_start = False

    def weights(self):
        return [p.copy() for p, _ in self.model.parameters()]

    def report(self, name, message):
        """Warn once per problem, and record it in the history."""
        if name in self.history["diagnoses"]:
            return
        self.history["diagnoses"].append(name)
        self.history["warnings"].append(message)
        if not self.quiet:
            with warnings.catch_warnings():  # every run, not only the first from this line
                warnings.simplefilter("always", TrainingWarning)
                warnings.warn(message, TrainingWarning, stacklevel=learner_stacklevel())

    def lr_text(self):
        lr = getattr(self.optimizer, "lr", None)
        return f"α = lr = {lr:g}" if isinstance(lr, numbers.Real) else "α"

    def smaller_lr(self):
        lr = getattr(self.optimizer, "lr", None)
        return f"lr={lr / 10:g}" if isinstance(lr, numbers.Real) else "a 10 times smaller lr"

    # ------------------------------------------------------------- before training

    def check_inputs(self):
        """Inputs far larger than about 1, the scale He/Xavier initialisation assumes."""
        self.typical = float(np.sqrt(np.mean(np.square(self.probe, dtype=np.float64))))
        self.largest = float(np.max(np.abs(self.probe)))
        self.inputs_too_large = self.typical > 10
        self.dead_at_start = self.dead_units() is not None

    def input_advice(self):
        return (
            f"The inputs are far larger than the network expects (largest |x| = "
            f"{self.largest:.4g}, typical size {self.typical:.3g}), while its initial weights "
            "(He/Xavier) assume inputs of size about 1; then the first layer's outputs, the cost "
            "J and the gradients are huge. Fix: scale the inputs, e.g. pixels 0–255 with "
            "x = x / 255; other data: subtract the training mean and divide by the training "
            "standard deviation (notebook 06)."
        )

    # ------------------------------------------------------------- after each epoch

    def after_epoch(self, epoch, batch_costs, last):
        """Look at the epoch just finished; batch_costs: J of each of its batches."""
        h = self.history
        if self.first_cost is None:
            self.first_cost = batch_costs[0]
            if self.inputs_too_large:
                advice = self.input_advice()
                self.report("input_scale", "Input scale: " + advice[0].lower() + advice[1:])
        now = self.weights()
        with np.errstate(over="ignore", invalid="ignore"):  # weights thrown to 1e30 and beyond
            change = sum(
                np.sum(np.square(a - b, dtype=np.float64)) for a, b in zip(now, self.previous)
            )
            size = sum(np.sum(np.square(b, dtype=np.float64)) for b in self.previous)
            self.moved, self.previous = float(np.sqrt(change / max(size, 1e-30))), now
        top = int(np.argmax(batch_costs))
        if batch_costs[top] > self.worst[0]:
            self.worst = (batch_costs[top], epoch)
        self.check_explosion()
        if epoch == 1:
            self.check_symmetry()
        if self.classify and epoch >= 3:
            self.check_chance(epoch)
        if epoch >= 4:
            self.check_progress(epoch)
        self.check_dead_relus()
        if h["val_loss"] and epoch >= 3:
            self.check_overfitting()
        if last and self.classify and h["val_acc"] and epoch >= 3:
            self.check_underfitting(epoch)

    def cause_of_a_blow_up(self):
        if self.inputs_too_large:
            return (
                "Most likely cause: the unscaled inputs (see the input-scale warning). Fix: "
                "scale them to about 0–1 and train again from fresh weights."
            )
        return (
            f"Most likely cause: the learning rate {self.lr_text()} is too large, so each step "
            "p → p − α ∂J/∂p jumps far past the minimum. Fix: try α 10 times smaller "
            f"({self.smaller_lr()}) and train again from fresh weights."
        )

    def check_explosion(self):
        worst, epoch = self.worst
        if worst > 100 * max(self.first_cost, self.know_nothing):
            self.report(
                "lr_too_large",
                f"Cost exploded: the cost J jumped from {self.first_cost:.3g} on the first batch "
                f"to {worst:.3g} in epoch {epoch} (now {self.history['train_loss'][-1]:.3g}): "
                "the weights were thrown far away. " + self.cause_of_a_blow_up(),
            )

    def has_not_moved(self):
        """J still within 10 % of where the first batch started, and no better than knowing
        nothing (so not a trained network whose training goes on)."""
        now = self.history["train_loss"][-1]
        return now >= 0.9 * self.first_cost and now >= 0.5 * self.know_nothing

    def check_chance(self, epoch):
        """At chance level after the cost went up: a blow-up (uninformative inputs, which
        also give chance accuracy, do not make J rise)."""
        acc = self.history["train_acc"][-1]
        if acc <= self.chance + 0.05 and self.worst[0] > 2 * self.first_cost:
            self.report(
                "lr_too_large",
                f"Accuracy stuck at chance level: {acc:.0%} on the training data after {epoch} "
                f"epochs, about what always answering the most common class gives "
                f"({self.chance:.0%}); the cost J rose from {self.first_cost:.3g} to "
                f"{self.worst[0]:.3g} on the way. " + self.cause_of_a_blow_up(),
            )

    def check_progress(self, epoch):
        recent = self.history["train_loss"][-4:]
        flat = max(recent) - min(recent) <= 1e-3 * abs(np.mean(recent))
        barely = self.moved < 1e-3  # the weights changed by less than 0.1 % in an epoch
        other = {"dead_relus", "symmetric_weights"} & set(self.history["diagnoses"])
        stuck = flat and barely and self.has_not_moved() and not other
        if stuck and self.worst[0] <= 2 * self.first_cost:
            self.report(
                "no_progress",
                f"No progress: the cost J has stayed at {recent[-1]:.4g} (flat to 3 digits) "
                f"for the last 4 epochs, where it started ({self.first_cost:.4g}), and the weights "
                f"changed by only {self.moved:.1e} of their size in the last epoch. Most likely "
                f"cause: the learning rate {self.lr_text()} is far too small, so each step "
                "p → p − α ∂J/∂p barely moves the weights. Fix: try α 10 to 100 times larger, "
                "or momentum or Adam.",
            )

    def dead_units(self):
        """(layer index, dead units, units) of the first ReLU layer with 80 % or more units
        that output 0 for every probed example, or None."""
        x = self.probe
        with np.errstate(over="ignore", invalid="ignore"):
            for i, layer in enumerate(getattr(self.model, "layers", [])):
                if isinstance(layer, ReLU):
                    dead = int(np.sum(~np.any(x > 0, axis=0)))
                    if dead >= 0.8 * x.shape[1]:
                        return i, dead, x.shape[1]
                x = layer.forward(x)
        return None

    def check_dead_relus(self):
        if "dead_relus" in self.history["diagnoses"]:
            return  # said once: no need to probe again
        found = self.dead_units()
        if found is None:
            return
        i, dead, units = found
        if self.dead_at_start:
            cause = (
                "They were dead before the first step: z ≤ 0 for every example from the "
                "start (inputs all 0, weights all zero or equal, or biases far below 0). Fix: "
                "random initialisation (He, as MLP does) with biases 0, and informative inputs."
            )
        else:
            cause = (
                f"Most likely cause: a learning rate ({self.lr_text()}) or inputs too large, "
                "which pushed their biases far below 0. Fix: a smaller α and inputs scaled to "
                "about 0–1, from fresh weights."
            )
        self.report(
            "dead_relus",
            f"Dead ReLUs: {dead} of the {units} ReLU units of model.layers[{i}] output 0 for every "
            f"one of {len(self.probe)} training examples. A dead unit's slope φ'(z) is 0, so its "
            f"weights get no gradient and it never comes back. {cause}",
        )

    def check_symmetry(self):
        """A layer whose units all have the same weights and bias stays that way for ever."""
        for i, layer in enumerate(getattr(self.model, "layers", [])):
            M, b = getattr(layer, "M", None), getattr(layer, "b", None)
            if M is not None and len(M) >= 2 and np.all(M == M[0]) and np.all(b == b[0]):
                self.report(
                    "symmetric_weights",
                    f"Symmetric weights: all {len(M)} units of model.layers[{i}] have the same "
                    "weights and bias, so they compute the same thing, get the same gradient "
                    "and stay identical: the layer works like a single unit. Cause: the "
                    "weights started all equal (zero or constant initialisation). Fix: random "
                    "initialisation (He/Xavier), as MLP does.",
                )
                return

    def check_overfitting(self):
        h = self.history
        if self.classify:
            far_better = h["train_acc"][-1] - h["val_acc"][-1] >= 0.15
            numbers = f"accuracy {h['train_acc'][-1]:.0%} vs {h['val_acc'][-1]:.0%}"
        else:  # a gap that matters on the scale of the targets, not 1e-4 vs 3e-4
            gap = h["val_loss"][-1] - h["train_loss"][-1]
            far_better = (
                h["val_loss"][-1] > 3 * h["train_loss"][-1] and gap > 0.05 * self.know_nothing
            )
            numbers = f"cost J {h['train_loss'][-1]:.3g} vs {h['val_loss'][-1]:.3g}"
        if far_better:
            self.report(
                "overfitting",
                "Overfitting: the network does far better on the training data than on the "
                f"validation data ({numbers}): it memorises the training examples instead of "
                "learning what carries over to new ones. Fixes (notebook 06): stop earlier "
                "(keep_best=True keeps the epoch with the lowest validation cost), weight decay "
                "(e.g. weight_decay=1e-4 in the optimizer), a smaller network, or more data.",
            )

    def check_underfitting(self, epoch):
        """Both accuracies poor at the end: less than halfway from chance to 100 %.

        Only for 3 or more classes: with two, noisy data can make 75 % the best possible.
        """
        h = self.history
        train, val = h["train_acc"][-1], h["val_acc"][-1]
        poor = self.chance + 0.5 * (1 - self.chance)  # 55 % for 10 balanced classes
        if self.n_classes >= 3 and train < poor and val < poor and not h["diagnoses"]:
            losses = h["train_loss"]
            falling = len(losses) >= 2 and losses[-2] - losses[-1] > 0.05 * (losses[0] - losses[-1])
            cause = (
                f"The cost J is still falling ({losses[-2]:.3g} → {losses[-1]:.3g} in the last "
                f"epoch): train longer, or with a larger learning rate ({self.lr_text()} now) "
                "or momentum."
                if falling
                else "The cost J has levelled off: the network is probably too small or too "
                "simple for the task; add hidden units or layers, or train with a larger α."
            )
            self.report(
                "underfitting",
                f"Underfitting: after {epoch} epochs both the training ({train:.0%}) and the "
                f"validation accuracy ({val:.0%}) are poor: the network has not even learned "
                f"the training data. {cause}",
            )
