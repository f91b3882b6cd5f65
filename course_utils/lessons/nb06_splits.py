"""Figures and the widget of notebook 06 (data splits, overfitting, hyperparameters).

size_grid() trains one small network for every combination of model size (hidden width)
and training-set size on the noisy two-spirals data, and records training and validation
error; size_widget() and plot_size_grid() show the result.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..datasets import make_spirals
from ..layers import MLP
from ..losses import CrossEntropyLoss
from ..optim import Adam
from ..plots import COLORS, plot_decision_regions
from ..training import accuracy, fit


def show_scans(x, y, n=8, size=8):
    """A row of n tiny "brain scans" (x: (N, size*size)) with their effectiveness y (N, 1)."""
    fig, axes = plt.subplots(1, n, figsize=(1.6 * n, 2.2))
    for ax, image, target in zip(axes, x, y):
        ax.imshow(image.reshape(size, size), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{float(target[0]):.0f} %", fontsize=12)
        ax.axis("off")
    fig.suptitle("Made-up scans and how well the treatment worked", fontsize=13)
    fig.tight_layout()
    return fig


def plot_accuracy_pair(histories, titles):
    """Training and validation accuracy per epoch for two runs side by side."""
    fig, axes = plt.subplots(1, len(histories), figsize=(6.5 * len(histories), 4.2), sharey=True)
    for ax, history, title in zip(np.atleast_1d(axes), histories, titles):
        epochs = np.arange(1, len(history["train_acc"]) + 1)
        ax.plot(epochs, history["train_acc"], color=COLORS[0], label="training")
        ax.plot(epochs, history["val_acc"], color=COLORS[1], ls="--", label="validation")
        ax.axhline(0.5, color="gray", ls=":", lw=1.5, label="chance (coin flip)")
        ax.set(xlabel="epoch", ylabel="accuracy", ylim=(0.3, 1.02), title=title)
        ax.legend(loc="center right")
    fig.tight_layout()
    return fig


WIDTHS = (2, 4, 16, 64)
SIZES = (25, 50, 100, 200, 400)


def size_grid(widths=WIDTHS, sizes=SIZES, updates=800, batch_size=25, n_val=400, seed=0):
    """Train MLP([2, w, w, 2]) on the first n spiral points for every width w and size n.

    Every run makes the same number of updates (so small training sets get more epochs).
    Returns {"data": (x_all, y_all, x_val, y_val), "runs": {(w, n): (model, train_err, val_err)}}.
    """
    x, y = make_spirals(max(sizes) + n_val, noise=1.0, seed=2)
    x_val, y_val = x[max(sizes) :], y[max(sizes) :]
    runs = {}
    for width in widths:
        for n in sizes:
            model = MLP([2, width, width, 2], seed=seed)
            epochs = max(1, updates * batch_size // n)
            fit(
                model,
                CrossEntropyLoss(),
                Adam(model, lr=0.01),
                x[:n],
                y[:n],
                epochs=epochs,
                batch_size=batch_size,
                seed=seed,
                progress=False,
            )
            train_err = 1 - accuracy(model.forward(x[:n]), y[:n])
            val_err = 1 - accuracy(model.forward(x_val), y_val)
            runs[(width, n)] = (model, train_err, val_err)
    return {"data": (x, y, x_val, y_val), "runs": runs}


def describe_run(grid, width, n):
    model, train_err, val_err = grid["runs"][(width, n)]
    params = model.num_parameters()
    return (
        f"width {width}, {n} training points ({params} parameters): "
        f"training error {train_err:.1%}, validation error {val_err:.1%}"
    )


def draw_run(grid, width, n, axes):
    """Decision regions with the training points (left), and both errors as bars (right)."""
    x, y, _, _ = grid["data"]
    model, train_err, val_err = grid["runs"][(width, n)]
    plot_decision_regions(
        model,
        x[:n],
        y[:n],
        axes[0],
        f"width {width}, {n} training points",
        extent=1.2,
        resolution=150,
    )
    axes[1].bar(["training", "validation"], [train_err, val_err], color=[COLORS[0], COLORS[1]])
    axes[1].set(ylim=(0, 0.6), ylabel="error (1 − accuracy)", title="Error")
    for i, err in enumerate((train_err, val_err)):
        axes[1].text(i, err + 0.01, f"{err:.0%}", ha="center", va="bottom", fontsize=13)


def size_widget(grid):
    """Sliders for the hidden width and the training-set size, over the precomputed grid."""
    import ipywidgets as widgets
    from IPython.display import display

    widths = sorted({w for w, _ in grid["runs"]})
    sizes = sorted({n for _, n in grid["runs"]})
    width = widgets.SelectionSlider(options=widths, value=widths[-1], description="width")
    size = widgets.SelectionSlider(options=sizes, value=sizes[0], description="training n")
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            print(describe_run(grid, width.value, size.value))
            fig, axes = plt.subplots(
                1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [1.4, 1]}
            )
            draw_run(grid, width.value, size.value, axes)
            fig.tight_layout()
            plt.show()

    for w in (width, size):
        w.observe(redraw, names="value")
    redraw()
    display(widgets.VBox([widgets.HBox([width, size]), out]))


def plot_size_grid(grid):
    """Static summary: training and validation error for every width and training-set size."""
    widths = sorted({w for w, _ in grid["runs"]})
    sizes = sorted({n for _, n in grid["runs"]})
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.4))
    for ax, column, title in zip(axes, (1, 2), ("Training error", "Validation error")):
        errors = np.array([[grid["runs"][(w, n)][column] for n in sizes] for w in widths])
        ax.imshow(errors, cmap="cividis_r", vmin=0, vmax=0.5, origin="lower", aspect="auto")
        for i in range(len(widths)):
            for j in range(len(sizes)):
                ax.text(
                    j,
                    i,
                    f"{errors[i, j]:.0%}",
                    ha="center",
                    va="center",
                    fontsize=13,
                    color="white" if errors[i, j] > 0.25 else "black",
                )
        ax.set(
            xticks=range(len(sizes)),
            xticklabels=[str(n) for n in sizes],
            yticks=range(len(widths)),
            yticklabels=[str(w) for w in widths],
            xlabel="training-set size",
            ylabel="hidden width (model size)",
            title=title,
        )
        ax.grid(False)
    fig.tight_layout()
    return fig
