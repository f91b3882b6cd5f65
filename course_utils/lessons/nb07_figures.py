"""Notebook 07 (the MNIST hands-on): figures.

LivePlot                  cost and accuracy curves redrawn in place while fit() runs (a callback)
show_examples_per_class   a gallery: one row of examples per digit
plot_class_balance        the share of every digit in each part of the data
plot_learning_rates       training cost per epoch of several runs
show_misclassified        the wrong predictions the network was most sure of, with their p_c
show_first_layer_weights  rows of M1 as 28×28 images
show_templates            the 10 rows of a linear model's M as digit templates
plot_spread               one dot per seed and setting: how far apart runs land
plot_runs                 several runs side by side (the play widget)
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..plots import COLORS

# ---------------------------------------------------------------- while training


class LivePlot:
    """Cost and accuracy curves redrawn in place after every epoch (a fit() callback).

    In Jupyter the figure is shown once and then updated; elsewhere (show=False) it is
    only drawn, and `.figure` holds the final picture.
    """

    def __init__(self, epochs, title="Training", show=True):
        self.epochs, self.title, self.show = epochs, title, show
        self.figure = Figure(figsize=(12, 4.2), dpi=plt.rcParams["figure.dpi"])
        self.axes = self.figure.subplots(1, 2)
        self.handle = None

    def draw(self, history):
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        panels = (("train_loss", "val_loss", "cost J"), ("train_acc", "val_acc", "accuracy"))
        for ax, (train, val, name) in zip(self.axes, panels, strict=True):
            ax.clear()
            ax.plot(epochs, history[train], color=COLORS[0], marker="o", ms=4, label="training")
            if history[val]:
                ax.plot(
                    epochs,
                    history[val],
                    color=COLORS[1],
                    ls="--",
                    marker="o",
                    ms=4,
                    label="validation",
                )
            ax.set(
                xlim=(0.5, self.epochs + 0.5),
                xlabel="epoch",
                ylabel=name,
                title=f"{self.title}: {name}",
            )
            ax.grid(True, alpha=0.3)
            ax.legend(loc="center right")
        if history["val_acc"]:
            best = int(np.argmax(history["val_acc"]))
            self.axes[1].annotate(
                f"{history['val_acc'][best]:.1%}",
                (best + 1, history["val_acc"][best]),
                textcoords="offset points",
                xytext=(0, -20),
                ha="center",
                color=COLORS[1],
            )
        self.figure.tight_layout()

    def __call__(self, epoch, history):
        self.draw(history)
        if not self.show:
            return
        from IPython.display import display

        if self.handle is None:
            self.handle = display(self.figure, display_id=True)
        else:
            self.handle.update(self.figure)


# ---------------------------------------------------------------- looking at the data


def show_examples_per_class(images, labels, per_class=10, title=None):
    """One row per digit 0-9 with the first `per_class` examples of that class."""
    images = np.asarray(images).reshape(len(images), 28, 28)
    classes = np.unique(labels)
    fig, axes = plt.subplots(
        len(classes), per_class, figsize=(per_class * 0.75, len(classes) * 0.75), squeeze=False
    )
    for row, c in enumerate(classes):
        chosen = np.flatnonzero(labels == c)[:per_class]
        for col, ax in enumerate(axes[row]):
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if col < len(chosen):
                ax.imshow(images[chosen[col]], cmap="gray_r", interpolation="nearest")
        axes[row, 0].set_ylabel(str(c), rotation=0, labelpad=14, fontsize=14, va="center")
    if title:
        fig.suptitle(title)
    fig.subplots_adjust(
        wspace=0.05, hspace=0.05, left=0.06, right=0.99, bottom=0.01, top=0.93 if title else 0.99
    )
    return fig


def plot_class_balance(parts, title="How many digits of each class?"):
    """Grouped bars: the share of each digit in every part, e.g. {"training": y_train, ...}."""
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / len(parts)
    for i, (name, y) in enumerate(parts.items()):
        counts = np.bincount(y, minlength=10)
        ax.bar(
            np.arange(10) + (i - (len(parts) - 1) / 2) * width,
            counts / counts.sum(),
            width=width,
            color=COLORS[i],
            label=f"{name} ({len(y):,})",
        )
    ax.axhline(0.1, color="gray", ls=":", lw=1.5, label="perfect balance (10%)")
    ax.set(xticks=range(10), xlabel="digit", ylabel="share of the set", title=title, ylim=(0, 0.17))
    ax.yaxis.set_major_locator(plt.matplotlib.ticker.MultipleLocator(0.05))  # 0 %, 5 %, ...
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.legend(loc="upper center", ncol=len(parts) + 1, fontsize=11)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- after training


def plot_learning_rates(histories, title="Same network, different learning rates α"):
    """Training cost per epoch of several runs, e.g. {"α = 0.001": history, ...}."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, (name, history) in enumerate(histories.items()):
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        ax.plot(epochs, history["train_loss"], color=COLORS[i], marker="o", ms=4, label=name)
    ax.axhline(np.log(10), color="gray", ls=":", lw=1.5, label="guessing: ln 10 ≈ 2.30")
    ax.set(xlabel="epoch", ylabel="training cost J", title=title, ylim=(0, None))
    ax.legend()
    fig.tight_layout()
    return fig


def show_misclassified(
    images, labels, probabilities, n=12, n_cols=6, title="Digits the network got wrong"
):
    """The n wrong predictions the network was most sure about, each with its p_c bars.

    images (N, 784) or (N, 28, 28); labels (N,); probabilities (N, 10) from predict_proba.
    The true class's bar is green, the predicted class's bar vermillion.
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    wrong = wrong[np.argsort(-probabilities[wrong, predicted[wrong]], kind="stable")][:n]
    n_rows = max(1, math.ceil(len(wrong) / n_cols))
    fig = plt.figure(figsize=(n_cols * 2.0, n_rows * 3.6 + 0.6))
    grid = fig.add_gridspec(
        n_rows * 3,
        n_cols,
        height_ratios=[2.2, 0.9, 0.9] * n_rows,
        hspace=0.15,
        wspace=0.3,
        top=1 - 0.8 / (n_rows * 3.6 + 0.6),
        bottom=0.02,
    )
    for k, i in enumerate(wrong):
        row, col = divmod(k, n_cols)
        ax = fig.add_subplot(grid[3 * row, col])
        ax.imshow(images[i], cmap="gray_r")
        ax.set_title(
            f"true {labels[i]}, read {predicted[i]}\np = {probabilities[i, predicted[i]]:.0%}",
            fontsize=11,
        )
        ax.axis("off")
        bars = fig.add_subplot(grid[3 * row + 1, col])
        colors = [
            COLORS[2] if c == labels[i] else COLORS[3] if c == predicted[i] else "#BBBBBB"
            for c in range(10)
        ]
        bars.bar(range(10), probabilities[i], color=colors)
        bars.set(ylim=(0, 1), xticks=range(10), yticks=[])
        bars.tick_params(axis="x", labelsize=8, pad=1)
        bars.grid(False)
    if len(wrong) == 0:
        fig.text(0.5, 0.5, "no mistakes", ha="center")
    fig.suptitle(title + " (green: true class, vermillion: predicted)", fontsize=14)
    return fig


def show_first_layer_weights(
    model, n=32, n_cols=8, title="First layer: the weights of each hidden neuron as 28×28"
):
    """Rows of M1 (one per hidden neuron of layer 1) drawn as 28×28 images.

    Orange: a positive weight (ink there raises the neuron's input M1·x + b1);
    purple: a negative weight. Each image has its own symmetric colour scale.
    """
    weights = model.layers[0].M[:n]
    n_rows = math.ceil(len(weights) / n_cols)
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(n_cols * 1.3, n_rows * 1.3 + 0.6), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(weights):
            limit = np.abs(weights[i]).max()
            ax.imshow(
                weights[i].reshape(28, 28),
                cmap="PuOr_r",
                vmin=-limit,
                vmax=limit,
                interpolation="nearest",
            )
            ax.set_title(f"neuron {i}", fontsize=9)
    fig.suptitle(title + "\n(orange: positive weight, purple: negative)", fontsize=13)
    fig.tight_layout()
    return fig


def plot_runs(runs, title="Runs side by side"):
    """Validation accuracy per epoch (left) and best accuracy versus seconds (right)."""
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [1.5, 1]}
    )
    for i, run in enumerate(runs):
        color = COLORS[i % len(COLORS)]
        epochs = np.arange(1, len(run.history["val_acc"]) + 1)
        left.plot(
            epochs,
            run.history["val_acc"],
            color=color,
            marker="o",
            ms=4,
            label=f"{i + 1}: {run.label}",
        )
        right.scatter(run.seconds, run.best_val_acc, s=90, color=color, zorder=3)
        right.annotate(
            str(i + 1), (run.seconds, run.best_val_acc), textcoords="offset points", xytext=(7, -4)
        )
    left.set(xlabel="epoch", ylabel="validation accuracy", title=f"{title}: learning curves")
    left.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(integer=True))
    right.set(
        xlabel="training time (s)", ylabel="best validation accuracy", title="accuracy vs. time"
    )
    for ax in (left, right):
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    if runs:
        low = min(min(r.history["val_acc"]) for r in runs)
        left.set_ylim(max(0.0, low - 0.02), 1.0)
    fig.legend(loc="lower center", ncol=2, fontsize=10, frameon=False)
    fig.tight_layout(rect=(0, 0.07 * math.ceil(len(runs) / 2) + 0.02, 1, 1))
    return fig


def show_templates(model, title="A linear model's 10 rows of M: one template per digit"):
    """The rows of the only weight matrix M (10, 784) of a linear model 784 → 10 as 28×28.

    ŷ_c = (row c of M)·x + b_c: a digit scores high for class c where its ink falls on the
    orange (positive) weights of row c and avoids the purple (negative) ones.
    """
    weights = model.layers[0].M
    fig, axes = plt.subplots(1, len(weights), figsize=(1.5 * len(weights), 2.2))
    limit = np.abs(weights).max()
    for c, ax in enumerate(axes):
        ax.imshow(
            weights[c].reshape(28, 28),
            cmap="PuOr_r",
            vmin=-limit,
            vmax=limit,
            interpolation="nearest",
        )
        ax.set_title(f"class {c}", fontsize=12)
        ax.axis("off")
    fig.suptitle(title + "\n(orange: ink here raises $\\hat y_c$, purple: lowers it)", fontsize=13)
    fig.tight_layout()
    return fig


def plot_spread(results, title="Validation accuracy over several seeds", reference=None):
    """One row per setting, one dot per seed: how far apart do runs of one setting land?

    results: {"784-128-64-10": [0.955, 0.96, ...], ...}; reference: an optional line (e.g. 0.95).
    """
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(results) + 1.4))
    for row, values in enumerate(results.values()):
        values = np.asarray(values)
        ax.scatter(
            values, np.full(len(values), row), s=60, color=COLORS[row % len(COLORS)], zorder=3
        )
        ax.plot([values.min(), values.max()], [row, row], color=COLORS[row % len(COLORS)], lw=2)
        ax.scatter([np.mean(values)], [row], marker="|", s=400, color="black", zorder=4)
    if reference is not None:
        ax.axvline(reference, color="gray", ls=":", lw=1.5)
    ax.set(
        yticks=range(len(results)),
        yticklabels=list(results),
        xlabel="validation accuracy",
        title=title,
    )
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=1))
    fig.tight_layout()
    return fig
