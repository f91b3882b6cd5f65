"""Figures and widgets of notebook 05 (stochastic gradient descent).

Two toy cost functions to walk down by hand:
    1-D:  J(p) = (p − 3)²,               ∂J/∂p = 2 (p − 3)
    2-D:  J(p1, p2) = 0.1 p1² + p2²,     a long, narrow valley (steep in p2, flat in p1)
Gradient descent converges on both for 0 < α < 1, crawls for small α and oscillates for α
close to 1 (in the steep direction); above 1 it diverges. In the valley the flat direction p1
sets the pace, so there α = 0.9 (oscillating across, but fastest along the floor) ends lowest.
"""

import time

import matplotlib.pyplot as plt
import numpy as np

from ..layers import MLP
from ..losses import CrossEntropyLoss
from ..optim import SGD
from ..plots import COLORS
from ..training import evaluate

START_1D = 0.0
START_2D = np.array([-4.5, 1.8])
LIMIT = 1e3  # |p| beyond this counts as diverged


def cost_1d(p):
    return (p - 3.0) ** 2


def grad_1d(p):
    return 2 * (p - 3.0)


def cost_2d(p):
    p = np.asarray(p, dtype=float)
    return 0.1 * p[..., 0] ** 2 + p[..., 1] ** 2


def grad_2d(p):
    return np.array([0.2 * p[0], 2 * p[1]])


def descend(grad, start, lr, steps):
    """Positions p_0 … p_steps of gradient descent p → p − α ∂J/∂p (stops once |p| > 1000)."""
    path = [np.array(start, dtype=float)]
    for _ in range(steps):
        p = path[-1] - lr * grad(path[-1])
        path.append(p)
        if np.max(np.abs(p)) > LIMIT:
            break
    return np.array(path)


def diverged(path):
    return bool(np.max(np.abs(path[-1])) > LIMIT)


def summary(lr, steps=20):
    """One line: where both descents end after `steps` steps with learning rate lr."""
    p1 = descend(grad_1d, START_1D, lr, steps)
    p2 = descend(grad_2d, START_2D, lr, steps)
    parts = []
    for name, path, cost in (("1-D", p1, cost_1d), ("2-D", p2, cost_2d)):
        if diverged(path):
            parts.append(f"{name}: diverged after {len(path) - 1} steps")
        else:
            parts.append(f"{name}: J = {float(cost(path[-1])):.4f}")
    return f"α = {lr:.3f}, after {steps} steps, " + "; ".join(parts)


def note_cost(ax, path, cost, start):
    """Write the final cost into the axes (vermillion when it grew instead of shrinking)."""
    final = float(cost(path[-1]))
    if diverged(path):
        text = f"diverged after {len(path) - 1} steps"
    else:
        text = f"J = {final:.3f}" + (" and growing" if final > float(cost(start)) else "")
    ax.text(
        0.5,
        0.88,
        text,
        transform=ax.transAxes,
        ha="center",
        fontsize=12,
        color=COLORS[3] if final > float(cost(start)) or diverged(path) else "black",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8},
    )


def draw_1d(lr, steps=20, ax=None):
    ax = ax or plt.subplots(figsize=(6, 4))[1]
    grid = np.linspace(-1.5, 7.5, 200)
    ax.plot(grid, cost_1d(grid), color="gray", lw=1.5)
    path = descend(grad_1d, START_1D, lr, steps)
    shown = path[np.abs(path) < 8]
    ax.plot(shown, cost_1d(shown), "o-", color=COLORS[0], ms=5, lw=1.2)
    ax.plot(shown[:1], cost_1d(shown[:1]), "o", color=COLORS[3], ms=8)
    ax.set(
        xlim=(-1.5, 7.5),
        ylim=(-1, 21),
        xlabel="p",
        ylabel="J(p) = (p − 3)²",
        title=f"1-D, α = {lr:g}",
    )
    note_cost(ax, path, cost_1d, START_1D)
    return ax


def draw_2d(lr, steps=20, ax=None):
    ax = ax or plt.subplots(figsize=(6, 4))[1]
    g1, g2 = np.meshgrid(np.linspace(-5.5, 5.5, 200), np.linspace(-2.5, 2.5, 200))
    ax.contour(
        g1,
        g2,
        cost_2d(np.stack([g1, g2], axis=-1)),
        levels=[0.1, 0.4, 1, 2, 3.5, 5],
        colors="gray",
        linewidths=1,
    )
    path = descend(grad_2d, START_2D, lr, steps)
    shown = path[(np.abs(path[:, 0]) < 6) & (np.abs(path[:, 1]) < 3)]
    ax.plot(shown[:, 0], shown[:, 1], "o-", color=COLORS[0], ms=4, lw=1.2)
    ax.plot(*START_2D, "o", color=COLORS[3], ms=8)
    ax.plot(0, 0, "*", color="black", ms=12)
    ax.set(
        xlim=(-5.5, 5.5),
        ylim=(-2.5, 2.5),
        xlabel="$p_1$",
        ylabel="$p_2$",
        title=f"2-D valley, α = {lr:g}",
    )
    note_cost(ax, path, cost_2d, START_2D)
    return ax


def draw_learning_rates(lrs=(0.05, 0.4, 0.9, 1.2), steps=20):
    """Small multiples: the 1-D and 2-D descents (rows) for several learning rates (columns)."""
    fig, axes = plt.subplots(2, len(lrs), figsize=(4.2 * len(lrs), 7.5))
    for column, lr in zip(axes.T, lrs):
        draw_1d(lr, steps, column[0])
        draw_2d(lr, steps, column[1])
    fig.suptitle(f"{steps} steps of gradient descent with {len(lrs)} learning rates α")
    fig.tight_layout()
    return fig


def learning_rate_widget(steps=20):
    """A log-scale slider for α, showing both descents and printing where they end."""
    import ipywidgets as widgets
    from IPython.display import display

    slider = widgets.FloatLogSlider(
        value=0.4, base=10, min=-2, max=0.1, step=0.02, description="α", readout_format=".3f"
    )
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            print(summary(slider.value, steps))
            fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
            draw_1d(slider.value, steps, axes[0])
            draw_2d(slider.value, steps, axes[1])
            fig.tight_layout()
            plt.show()

    slider.observe(redraw, names="value")
    redraw()
    display(widgets.VBox([slider, out]))


class LiveLossPlot:
    """A callback for fit(): redraws the training and validation cost every `every` epochs.

    Use: live = LiveLossPlot(epochs); fit(..., callback=live). In a notebook the figure
    updates in place; elsewhere it is drawn once at the end.
    """

    def __init__(self, epochs, every=5, title="Cost while training", log=False):
        self.epochs, self.every, self.title, self.log = epochs, every, title, log
        self.handle = None

    def draw(self, history):
        fig, ax = plt.subplots(figsize=(7.5, 4))
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        ax.plot(epochs, history["train_loss"], color=COLORS[0], label="training")
        if history["val_loss"]:
            ax.plot(epochs, history["val_loss"], color=COLORS[1], ls="--", label="validation")
        ax.set(
            xlim=(0, self.epochs),
            xlabel="epoch",
            ylabel="cost J (normalised units)",
            title=f"{self.title}: epoch {len(epochs)}/{self.epochs}",
        )
        if self.log:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        ax.legend()
        fig.tight_layout()
        return fig

    def __call__(self, epoch, history):
        if epoch % self.every and epoch != self.epochs:
            return
        from IPython.display import display

        fig = self.draw(history)
        if self.handle is None:
            self.handle = display(fig, display_id=True)
        else:
            self.handle.update(fig)
        plt.close(fig)


def plot_batch_sizes(results):
    """results: {batch_size: (costs per update, cost per epoch, seconds per epoch)}.

    Left: the cost of every batch against the update number; right: the cost on all the
    training data after each epoch.
    """
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    items = list(zip(COLORS, results.items()))
    for order, (color, (batch_size, (per_update, per_epoch, _))) in enumerate(items):
        label = f"batch size {batch_size}"
        updates = np.arange(1, len(per_update) + 1)
        noisy = batch_size == min(results)
        axes[0].plot(
            updates,
            per_update,
            color=color,
            lw=0.6 if noisy else 2.5,
            alpha=0.5 if noisy else 1.0,
            zorder=len(items) - order,
            label=label,
        )
        epochs = np.arange(1, len(per_epoch) + 1)
        axes[1].plot(epochs, per_epoch, "o-", color=color, ms=4, label=label)
    axes[0].set(
        xscale="log",
        xlabel="update number (log scale)",
        ylabel="cost J of the batch",
        title="Cost of every batch",
    )
    axes[1].set(xlabel="epoch", ylabel="cost J on all training data", title="Cost after each epoch")
    for ax in axes:
        ax.legend()
    fig.tight_layout()
    return fig


def plot_optimizers(histories):
    """histories: {name: History}; training cost per epoch of each optimizer, one axes."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for color, (name, history) in zip(COLORS, histories.items()):
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        ax.plot(epochs, history["train_loss"], color=color, label=name)
    ax.set(xlabel="epoch", ylabel="training cost J", title="Same network, same data, same seed")
    ax.legend()
    fig.tight_layout()
    return fig


class Stopwatch:
    """with Stopwatch() as watch: ...; watch.seconds"""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *_):
        self.seconds = time.perf_counter() - self.start


# --- momentum in the valley ------------------------------------------------------------------


def descend_momentum(grad, start, lr, momentum, steps):
    """Positions of SGD with momentum (v → μ v + ∂J/∂p, p → p − α v), like course_utils.SGD."""
    path, v = [np.array(start, dtype=float)], np.zeros_like(np.asarray(start, dtype=float))
    for _ in range(steps):
        v = momentum * v + grad(path[-1])
        path.append(path[-1] - lr * v)
    return np.array(path)


def draw_momentum_paths(lr=0.05, momentum=0.9, steps=40):
    """Left: both paths on the valley's contours; right: the cost J after every step (log)."""
    plain = descend(grad_2d, START_2D, lr, steps)
    heavy = descend_momentum(grad_2d, START_2D, lr, momentum, steps)
    fig, axes = plt.subplots(1, 2, figsize=(13.5, 4.6), gridspec_kw={"width_ratios": [1.4, 1]})
    ax = axes[0]
    g1, g2 = np.meshgrid(np.linspace(-5.5, 5.5, 200), np.linspace(-2.5, 2.5, 200))
    ax.contour(g1, g2, cost_2d(np.stack([g1, g2], axis=-1)), levels=[0.1, 0.4, 1, 2, 3.5, 5],
               colors="gray", linewidths=1)  # fmt: skip
    ax.plot(plain[:, 0], plain[:, 1], "o-", color=COLORS[0], ms=4, lw=1.2, label="plain SGD")
    ax.plot(heavy[:, 0], heavy[:, 1], "s-", color=COLORS[3], ms=4, lw=1.2,
            label=f"momentum μ = {momentum:g}")  # fmt: skip
    ax.plot(*START_2D, "o", color="black", ms=8)
    ax.plot(0, 0, "*", color="black", ms=14)
    ax.set(xlim=(-5.5, 5.5), ylim=(-2.5, 2.5), xlabel="$p_1$", ylabel="$p_2$",
           title=f"{steps} steps down the valley, α = {lr:g}")  # fmt: skip
    ax.legend(loc="lower right")
    steps_axis = np.arange(steps + 1)
    axes[1].plot(steps_axis, cost_2d(plain), color=COLORS[0], label="plain SGD")
    axes[1].plot(steps_axis, cost_2d(heavy), color=COLORS[3], label=f"momentum μ = {momentum:g}")
    axes[1].set(yscale="log", xlabel="step", ylabel="cost J", title="Cost after every step")
    axes[1].legend()
    fig.tight_layout()
    return fig


# --- batch sizes at an equal number of updates -----------------------------------------------


def cost_by_update(x, y, batch_size, updates, lr=0.05, every=5, sizes=(2, 16, 16, 2), seed=0):
    """Train MLP(sizes) with SGD in shuffled batches for exactly `updates` updates.

    Returns (update numbers, cost J on all of x after each, seconds spent on the updates);
    the cost is measured every `every` updates (not counted in the seconds).
    """
    model = MLP(list(sizes), seed=seed)
    loss_fn, optimizer = CrossEntropyLoss(), SGD(model, lr=lr)
    rng = np.random.default_rng(seed)
    numbers, costs, seconds, done = [0], [evaluate(model, loss_fn, x, y)[0]], 0.0, 0
    while done < updates:
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            if done == updates:
                break
            batch = order[start : start + batch_size]
            began = time.perf_counter()
            loss_fn(model(x[batch]), y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
            seconds += time.perf_counter() - began
            done += 1
            if done % every == 0 or done == updates:
                numbers.append(done)
                costs.append(evaluate(model, loss_fn, x, y)[0])
    return np.array(numbers), np.array(costs), seconds


def plot_equal_updates(runs):
    """runs: {batch_size: cost_by_update(...)}; the cost on all data against the update number."""
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    for color, (batch_size, (numbers, costs, _)) in zip(COLORS, runs.items()):
        ax.plot(numbers, costs, color=color, lw=2, label=f"batch size {batch_size}")
    updates = max(numbers[-1] for numbers, _, _ in runs.values())
    ax.set(xlabel="update number", ylabel="cost J on all training data",
           title=f"The same number of updates ({updates}) for every batch size")  # fmt: skip
    ax.legend()
    fig.tight_layout()
    return fig


def plot_batch_costs(costs, batches_per_epoch, title="Your training loop on the houses"):
    """The cost J of every batch (thin) and its mean per epoch (thick), log scale."""
    costs = np.asarray(costs, dtype=float)
    epochs = len(costs) // batches_per_epoch
    means = costs[: epochs * batches_per_epoch].reshape(epochs, batches_per_epoch).mean(axis=1)
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    ax.plot(np.arange(1, len(costs) + 1) / batches_per_epoch, costs, color=COLORS[0], lw=0.6,
            alpha=0.6, label="cost J of each batch")  # fmt: skip
    ax.plot(np.arange(1, epochs + 1), means, color=COLORS[3], lw=2.5, label="mean per epoch")
    ax.set(yscale="log", xlabel="epoch", ylabel="cost J (normalised units)", title=title)
    ax.legend()
    fig.tight_layout()
    return fig
