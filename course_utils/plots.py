"""Figures shared by the notebooks: one style, colour-blind-safe colours, common plots.

Lesson-specific figures and widgets live in course_utils/lessons/.
"""

import matplotlib.pyplot as plt
import numpy as np

# Okabe & Ito's palette: distinguishable with every common kind of colour blindness.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_course_style():
    """Large fonts for a projector, the colour-blind-safe palette, light grids."""
    plt.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 80,
            "font.size": 13,
            "axes.titlesize": 15,
            "axes.labelsize": 14,
            "legend.fontsize": 12,
            "lines.linewidth": 2.5,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": plt.cycler(color=COLORS),
        }
    )


def plot_history(history, title="Training"):
    """Cost J per epoch (and accuracy if measured), training versus validation."""
    has_acc = any(a is not None for a in history["train_acc"])
    fig, axes = plt.subplots(1, 2 if has_acc else 1, figsize=(12 if has_acc else 7, 4.2))
    axes = np.atleast_1d(axes)
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    axes[0].plot(epochs, history["train_loss"], label="training", color=COLORS[0])
    if history["val_loss"]:
        axes[0].plot(epochs, history["val_loss"], label="validation", color=COLORS[1], ls="--")
    axes[0].set(xlabel="epoch", ylabel="cost J", title=f"{title}: cost")
    if has_acc:
        axes[1].plot(epochs, history["train_acc"], label="training", color=COLORS[0])
        if history["val_acc"]:
            axes[1].plot(epochs, history["val_acc"], label="validation", color=COLORS[1], ls="--")
        axes[1].set(xlabel="epoch", ylabel="accuracy", title=f"{title}: accuracy")
    best = history.get("best_epoch")
    for ax in axes:
        if best:
            ax.axvline(best, color="gray", ls=":", label=f"best epoch ({best})")
        ax.legend()
    fig.tight_layout()
    return fig


def plot_decision_regions(
    model, x, y, ax=None, title="Decision regions", extent=None, resolution=200
):
    """Colour the plane by the class the model predicts, and draw the points (x, y).

    x (N, 2), y (N,) class indices. extent=e shows the square [-e, e]²; by default the
    plot spans the points with a margin of 0.5.
    """
    ax = ax or plt.subplots(figsize=(6, 5))[1]
    if extent is None:
        (x0, y0), (x1, y1) = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    else:
        x0 = y0 = -extent
        x1 = y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    regions = model.forward(grid).argmax(axis=1).reshape(gx.shape)
    n_classes = int(max(y.max(), regions.max())) + 1
    cmap = plt.matplotlib.colors.ListedColormap(COLORS[:n_classes])
    ax.contourf(gx, gy, regions, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    for c in range(n_classes):
        ax.scatter(
            *x[y == c].T,
            s=22,
            color=COLORS[c],
            edgecolor="white",
            linewidth=0.5,
            label=f"class {c}",
        )
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x_1$", ylabel="$x_2$", title=title)
    if extent is not None:
        ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=10)
    return ax


def show_digits(images, labels=None, predictions=None, n_cols=10, title=None, size=1.1):
    """A grid of 28×28 digits, with labels (and predictions, wrong ones in vermillion).

    images: (N, 28, 28) or (N, 784); labels, predictions: (N,) or None.
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    n_rows = int(np.ceil(len(images) / n_cols))
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(n_cols * size, n_rows * size * 1.25), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i], cmap="gray_r")
        text, color = "", "black"
        if labels is not None:
            text = f"{labels[i]}"
        if predictions is not None:
            text = f"{labels[i]}→{predictions[i]}" if labels is not None else f"{predictions[i]}"
            if labels is not None and predictions[i] != labels[i]:
                color = COLORS[3]
        ax.set_title(text, fontsize=11, color=color)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(counts, title="Confusion matrix", class_names=None):
    """counts (C, C) from training.confusion_matrix: rows true class, columns predicted."""
    n = len(counts)
    names = class_names if class_names is not None else [str(i) for i in range(n)]
    fig, ax = plt.subplots(figsize=(0.6 * n + 2.5, 0.6 * n + 2))
    ax.imshow(counts, cmap="Blues")
    for i in range(n):
        for j in range(n):
            color = "white" if counts[i, j] > counts.max() / 2 else "black"
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", color=color, fontsize=10)
    ax.set(
        xticks=range(n),
        yticks=range(n),
        xticklabels=names,
        yticklabels=names,
        xlabel="predicted class",
        ylabel="true class",
        title=title,
    )
    ax.grid(False)
    fig.tight_layout()
    return fig
