"""Figures, data and the widget of notebook 06 (data splits, overfitting, hyperparameters).

column_stats() prints a table of per-feature means and standard deviations (normalising).
size_grid() trains one small network for every combination of model size (hidden width)
and training-set size on the noisy two-spirals data, and records training and validation
error; size_widget() and plot_size_grid() show the result.
plot_fits() draws underfitting / a good fit / overfitting side by side; plot_weight_decay()
shows accuracy against the weight decay λ.
make_passengers() makes the made-up passenger list of the talk's Titanic example (bad
descriptors): the name says nothing about survival, the deck says a lot.
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


def column_stats(sets):
    """A table of each column's mean and standard deviation, one row per named set.

    sets: {"training": x_train, ...}, arrays (N, F). Values are rounded to 2 decimals
    (and -0.00 printed as 0.00), so the table reads the same on every machine.
    """
    n_features = next(iter(sets.values())).shape[1]
    head = "".join(f"   mean{j}    std{j}" for j in range(n_features))
    lines = [f"{'':12}{head}"]
    for name, x in sets.items():
        cells = []
        for mean, std in zip(x.mean(axis=0), x.std(axis=0)):
            cells.append(f"{round(float(mean), 2) + 0.0:8.2f}{round(float(std), 2) + 0.0:8.2f}")
        lines.append(f"{name:12}" + "".join(cells))
    return "\n".join(lines)


def plot_accuracy_pair(histories, titles, baseline=0.5, baseline_label="chance (coin flip)"):
    """Training and validation accuracy per epoch for two runs side by side.

    baseline: the accuracy of guessing without looking at the inputs, drawn as a dotted line.
    """
    fig, axes = plt.subplots(1, len(histories), figsize=(6.5 * len(histories), 4.2), sharey=True)
    for ax, history, title in zip(np.atleast_1d(axes), histories, titles):
        epochs = np.arange(1, len(history["train_acc"]) + 1)
        ax.plot(epochs, history["train_acc"], color=COLORS[0], label="training")
        ax.plot(epochs, history["val_acc"], color=COLORS[1], ls="--", label="validation")
        ax.axhline(baseline, color="gray", ls=":", lw=1.5, label=baseline_label)
        ax.set(xlabel="epoch", ylabel="accuracy", ylim=(0.3, 1.02), title=title)
        ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


# --- How noisy is a validation score ---------------------------------------------------------


def plot_score_spread(scores, true_accuracy, marks, n):
    """Histogram of one model's accuracy on many fresh sets of n examples.

    scores: (K,) accuracies; true_accuracy: measured on very many examples; marks: {label:
    accuracy} drawn as vertical lines (e.g. our validation and test scores). The band shows
    true_accuracy ± 2 standard errors, SE = sqrt(p (1 − p) / n).
    """
    scores = np.asarray(scores)
    se = np.sqrt(true_accuracy * (1 - true_accuracy) / n)
    fig, ax = plt.subplots(figsize=(9, 4.6))
    edges = (np.arange(n + 2) - 0.5) / n  # one bin per possible count of right answers
    step = max(1, round(0.005 * n))  # bins about half a percentage point wide
    ax.hist(
        scores, bins=edges[::step], color=COLORS[5], alpha=0.8, label=f"{len(scores)} fresh sets"
    )
    ax.axvspan(true_accuracy - 2 * se, true_accuracy + 2 * se, color="gray", alpha=0.12,
               label="true accuracy ± 2 SE")  # fmt: skip
    ax.axvline(true_accuracy, color=COLORS[7], lw=2.5, label=f"true accuracy {true_accuracy:.1%}")
    for (label, value), color, ls in zip(marks.items(), (COLORS[1], COLORS[3]), ("--", ":")):
        ax.axvline(value, color=color, lw=3, ls=ls, label=f"{label} {value:.1%}")
    ax.set(
        xlabel=f"accuracy on {n} fresh points",
        ylabel="how many sets",
        title="The same network, scored on different sets of the same size",
    )
    shown = [*marks.values(), scores.min(), scores.max()]
    ax.set_xlim(min(shown) - se, max(shown) + se)
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.legend(loc="upper right", fontsize=11)
    fig.tight_layout()
    return fig


# --- Fighting overfitting ----------------------------------------------------------------------


def plot_fits(models, x, y, titles, x_val=None, y_val=None):
    """Decision regions of several models side by side, e.g. underfit / good / overfit.

    x (N, 2), y (N,): the training points drawn on every panel. With x_val, y_val each
    title also gets the training and validation accuracy.
    """
    fig, axes = plt.subplots(1, len(models), figsize=(5.2 * len(models), 5))
    for ax, model, title in zip(np.atleast_1d(axes), models, titles):
        if x_val is not None:
            train_acc = accuracy(model.forward(x), y)
            val_acc = accuracy(model.forward(x_val), y_val)
            title = f"{title}\ntraining {train_acc:.0%}, validation {val_acc:.0%}"
        plot_decision_regions(model, x, y, ax, title, resolution=150)
    fig.tight_layout()
    return fig


def plot_weight_decay(lambdas, train_acc, val_acc):
    """Median accuracy over seeds (the band: lowest to highest) against the weight decay λ.

    lambdas: the λ values (one may be 0); train_acc, val_acc: arrays (len(lambdas), n_seeds).
    """
    train_acc, val_acc = np.asarray(train_acc), np.asarray(val_acc)
    positions = np.arange(len(lambdas))  # evenly spaced: λ = 0 has no place on a log axis
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    for acc, color, ls, label in (
        (train_acc, COLORS[0], "-", "training"),
        (val_acc, COLORS[1], "--", "validation"),
    ):
        ax.fill_between(positions, acc.min(axis=1), acc.max(axis=1), color=color, alpha=0.2)
        ax.plot(positions, np.median(acc, axis=1), color=color, ls=ls, marker="o", label=label)
    best = int(np.argmax(np.median(val_acc, axis=1)))
    ax.axvline(best, color="gray", ls=":", label=f"best on validation (λ = {lambdas[best]:g})")
    ax.set_xticks(positions, [f"{lam:g}" for lam in lambdas])
    ax.set_ylim(min(acc.min() for acc in (train_acc, val_acc)) - 0.08, 1.01)  # room for the legend
    ax.set(
        xlabel="weight decay λ",
        ylabel="accuracy (median of seeds)",
        title="← overfitting          weight decay          underfitting →",
    )
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def weight_decay_widget(nets, lambdas, x, y, x_val, y_val, seed=0):
    """A slider over the weight decay λ: the decision regions of the network trained with it.

    nets: {(λ, seed): model} as trained in the notebook; x, y: training points (drawn);
    x_val, y_val: for the validation accuracy in the title.
    """
    import ipywidgets as widgets
    from IPython.display import display

    slider = widgets.SelectionSlider(options=list(lambdas), value=lambdas[0], description="λ")
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            plot_fits([nets[slider.value, seed]], x, y, [f"weight decay λ = {slider.value:g}"],
                      x_val, y_val)  # fmt: skip
            plt.show()

    slider.observe(redraw, names="value")
    redraw()
    display(widgets.VBox([slider, out]))


# --- Bad descriptors: the Titanic example -------------------------------------------------------

DECKS = "ABCDEFG"
DECK_SHARE = np.array([0.05, 0.10, 0.15, 0.15, 0.15, 0.20, 0.20])  # more people lower down
DECK_SURVIVAL = np.array([0.9, 0.8, 0.7, 0.5, 0.3, 0.2, 0.1])  # made up: higher deck, better odds
FIRST_NAMES = (
    "Ann Bert Clara Dora Edith Frank Grace Hugo Ida John Karl Lena Mary Nils Olga "
    "Paul Rosa Sam Tom Vera Walter Alice Ernst Helen Jakob Maud Oskar Ruth Selma Victor"
).split()
SYLLABLES = (
    "ber son man ley ton ham dor ric ell ach wick mond hill lund ford stein berg ers ov ski "
    "ard ing bach win"
).split()


def make_passengers(n=800, seed=0):
    """A made-up passenger list: (names, deck, survived).

    names: list of n strings; deck: (n,) int 0–6 for decks A–G; survived: (n,) int64 0 or 1.
    Survival depends on the deck only (DECK_SURVIVAL, from 90 % on deck A to 10 % on G);
    the names are drawn independently of everything else.
    """
    rng = np.random.default_rng(seed)
    deck = rng.choice(len(DECKS), size=n, p=DECK_SHARE)
    survived = (rng.random(n) < DECK_SURVIVAL[deck]).astype(np.int64)
    names = [
        f"{rng.choice(FIRST_NAMES)} {''.join(rng.choice(SYLLABLES, rng.integers(2, 4))).title()}"
        for _ in range(n)
    ]
    return names, deck, survived


def letter_counts(names):
    """A name as numbers: how often each letter a–z occurs in it. Returns (N, 26) float32."""
    x = np.zeros((len(names), 26), dtype=np.float32)
    for i, name in enumerate(names):
        for letter in name.lower():
            if "a" <= letter <= "z":
                x[i, ord(letter) - ord("a")] += 1
    return x


def deck_one_hot(deck):
    """The deck as numbers: one-hot, deck A = (1, 0, …, 0). Returns (N, 7) float32."""
    return np.eye(len(DECKS), dtype=np.float32)[deck]


def best_possible_accuracy():
    """The accuracy of the best possible guess from the deck: on each deck, the likelier outcome."""
    return float(np.sum(DECK_SHARE * np.maximum(DECK_SURVIVAL, 1 - DECK_SURVIVAL)))


def passenger_table(names, deck, survived, n=6):
    """The first n passengers as a small text table."""
    lines = [f"{'name':24}deck  survived"]
    for name, d, s in zip(names[:n], deck[:n], survived[:n]):
        lines.append(f"{name:24}{DECKS[d]:6}{'yes' if s else 'no'}")
    return "\n".join(lines)


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
                diagnose=False,  # small and overfitting on purpose
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
