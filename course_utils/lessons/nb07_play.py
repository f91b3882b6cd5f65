"""Notebook 07 (the MNIST hands-on): the "play with it" widget.

play_with_it    choose hidden layers, activation, optimizer, α and epochs; train; compare runs
train_setting   what one press of Train does, usable without a browser: returns a Run
"""

import time
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np

from ..errors import TrainingDiverged
from ..layers import MLP
from ..losses import CrossEntropyLoss
from ..optim import SGD, Adam
from ..training import fit
from .nb07_figures import plot_runs

OPTIMIZERS = ("SGD", "SGD + momentum 0.9", "Adam")


@dataclass
class Run:
    """One training run of play_with_it: its setting, History and the numbers that matter."""

    label: str
    history: dict
    seconds: float
    setting: dict = field(default_factory=dict)

    @property
    def best_val_acc(self):
        return max(self.history["val_acc"])

    def summary(self):
        best = int(np.argmax(self.history["val_acc"])) + 1
        return (
            f"{self.label}: validation accuracy {self.history['val_acc'][-1]:.1%} "
            f"(best {self.best_val_acc:.1%} in epoch {best}), {self.seconds:.1f} s"
        )


def parse_hidden(text):
    """ "128, 64" -> (128, 64); "" -> () (no hidden layer). Raises ValueError with a hint."""
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(
            f"Hidden layers must be whole numbers separated by commas, e.g. 128, 64; got {text!r}."
        ) from None
    if any(s < 1 or s > 4096 for s in sizes):
        raise ValueError(f"Each hidden layer needs between 1 and 4096 neurons, got {sizes}.")
    return sizes


def make_optimizer(name, model, lr):
    if name == "SGD":
        return SGD(model, lr=lr)
    if name == "SGD + momentum 0.9":
        return SGD(model, lr=lr, momentum=0.9)
    if name == "Adam":
        return Adam(model, lr=lr)
    raise ValueError(f"Unknown optimizer {name!r}: choose one of {OPTIMIZERS}.")


def train_setting(
    x_train,
    y_train,
    x_val,
    y_val,
    hidden=(128, 64),
    activation="relu",
    optimizer="SGD + momentum 0.9",
    lr=0.05,
    epochs=5,
    batch_size=64,
    seed=0,
    progress=False,
):
    """Train one setting from scratch and return a Run (label, History, seconds)."""
    sizes = [784, *hidden, 10]
    model = MLP(sizes, activation=activation, seed=seed)
    start = time.perf_counter()
    history = fit(
        model,
        CrossEntropyLoss(),
        make_optimizer(optimizer, model, lr),
        x_train,
        y_train,
        epochs=epochs,
        batch_size=batch_size,
        x_val=x_val,
        y_val=y_val,
        seed=seed,
        progress=progress,
    )
    seconds = time.perf_counter() - start
    label = f"{'-'.join(map(str, sizes))} {activation}, {optimizer}, α={lr:g}, {epochs} ep."
    setting = dict(hidden=hidden, activation=activation, optimizer=optimizer, lr=lr, epochs=epochs)
    return Run(label, history, seconds, setting)


def play_with_it(x_train, y_train, x_val, y_val):
    """A widget: choose hidden layers, activation, optimizer, α and epochs; train; compare."""
    import ipywidgets as w

    style = {"description_width": "110px"}
    hidden = w.Text(value="128, 64", description="hidden layers", style=style)
    activation = w.Dropdown(
        options=["relu", "sigmoid", "tanh"], value="relu", description="activation φ", style=style
    )
    optimizer = w.Dropdown(
        options=OPTIMIZERS, value="SGD + momentum 0.9", description="optimizer", style=style
    )
    lr = w.FloatLogSlider(
        value=0.05,
        base=10,
        min=-4,
        max=0,
        step=0.25,
        description="learning rate α",
        readout_format=".4f",
        style=style,
    )
    epochs = w.IntSlider(value=5, min=1, max=30, description="epochs", style=style)
    train = w.Button(description="Train", button_style="primary", icon="play")
    clear = w.Button(description="Clear runs", icon="trash")
    out = w.Output()
    runs = []

    def redraw(message):
        out.clear_output(wait=True)
        with out:
            print(message)
            for i, run in enumerate(runs, start=1):
                print(f"  {i}: {run.summary()}")
            if runs:
                plot_runs(runs)
                plt.show()

    def on_train(_):
        train.disabled = True
        try:
            sizes = parse_hidden(hidden.value)
            run = train_setting(
                x_train,
                y_train,
                x_val,
                y_val,
                sizes,
                activation.value,
                optimizer.value,
                lr.value,
                epochs.value,
            )
            runs.append(run)
            redraw(f"Trained run {len(runs)}: {run.summary()}")
        except (ValueError, TrainingDiverged) as err:
            redraw(f"Not trained: {err}")
        finally:
            train.disabled = False

    def on_clear(_):
        runs.clear()
        redraw("Cleared all runs.")

    train.on_click(on_train)
    clear.on_click(on_clear)
    controls = w.VBox([hidden, activation, optimizer, lr, epochs, w.HBox([train, clear])])
    return w.VBox([controls, out])
