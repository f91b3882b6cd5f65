"""Notebook 07 (the MNIST hands-on): training helpers, figures and widgets.

Training helpers, each a callback for fit(..., callback=...), run after every epoch:
    CosineSchedule   lowers the learning rate along half a cosine, from lr to 0
    RandomShifts     gives every epoch freshly shifted copies of the training digits
    LivePlot         redraws the cost and accuracy curves in place while training runs
    callbacks(a, b)  runs several callbacks one after the other
Figures: show_examples_per_class, plot_class_balance, plot_learning_rates,
    show_misclassified, show_first_layer_weights, plot_runs, show_own_digit.
Widgets: play_with_it (train other settings and compare), digit_upload (your own digit),
    digit_canvas (draw one; needs the optional ipycanvas), all built on functions that also
    work without a browser (train_setting, handle_upload, Sketch).
RECOMMENDED is the setting the notebook recommends; scripts/benchmark_mnist.py trains it
on the full MNIST.
"""

import io
import math
import time
import warnings
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from PIL import Image, ImageDraw, ImageFilter

from ..data import flatten_and_scale
from ..errors import DataError, TrainingDiverged
from ..images import prepare_own_digit
from ..layers import MLP
from ..losses import CrossEntropyLoss
from ..optim import SGD, Adam
from ..plots import COLORS
from ..training import fit, predict_proba

# The talk's network, trained the way the notebook recommends (see scripts/benchmark_mnist.py).
RECOMMENDED = {
    "sizes": (784, 128, 64, 10),
    "activation": "relu",
    "lr": 0.05,
    "momentum": 0.9,
    "batch_size": 64,
    "epochs": 15,
    "max_shift": 1,
}

# ---------------------------------------------------------------- callbacks for fit()


def callbacks(*functions):
    """One callback for fit() that calls each of `functions` (epoch, history) in turn."""

    def run_all(epoch, history):
        for function in functions:
            if function is not None:
                function(epoch, history)

    return run_all


class CosineSchedule:
    """Learning rate along half a cosine: lr in epoch 1, falling smoothly towards 0.

    The rate used in epoch e (1-based) of E is lr_e = lr · (1 + cos(π (e − 1) / E)) / 2.
    Big steps first (fast progress), small steps at the end (settle into a minimum).
    Use as fit(..., callback=CosineSchedule(optimizer, epochs)): after each epoch it sets
    optimizer.lr for the next one.
    """

    def __init__(self, optimizer, epochs):
        self.optimizer, self.epochs, self.lr = optimizer, epochs, optimizer.lr

    def lr_in_epoch(self, epoch):
        return self.lr * (1 + math.cos(math.pi * (epoch - 1) / self.epochs)) / 2

    def __call__(self, epoch, history):
        self.optimizer.lr = self.lr_in_epoch(epoch + 1)


def shift_images(images, dy, dx, side=28):
    """Move each flattened image (N, side²) by dy rows and dx columns; new pixels are 0."""
    images = np.asarray(images)
    square = images.reshape(len(images), side, side)
    out = np.zeros_like(square)
    rows_to = slice(max(dy, 0), side + min(dy, 0))
    rows_from = slice(max(-dy, 0), side - max(dy, 0))
    cols_to = slice(max(dx, 0), side + min(dx, 0))
    cols_from = slice(max(-dx, 0), side - max(dx, 0))
    out[:, rows_to, cols_to] = square[:, rows_from, cols_from]
    return out.reshape(images.shape)


class RandomShifts:
    """Data augmentation: every epoch sees each digit moved by up to max_shift pixels.

    A digit moved by one pixel is still the same digit, but for the network (which sees 784
    unrelated numbers) it is a new example: more variety, less memorising.
    x: flattened images (N, 784). Train on `.x` (an array this object refills with new
    random shifts after every epoch when used as a fit() callback); the originals are kept.
    """

    def __init__(self, x, max_shift=1, seed=0, side=28):
        self.original = np.array(x, copy=True)
        self.x = np.empty_like(self.original)
        self.max_shift, self.side = max_shift, side
        self.rng = np.random.default_rng(seed)
        self.seconds = 0.0  # time spent shifting (it counts as training time)
        self.refresh()

    def refresh(self):
        start = time.perf_counter()
        m, n = self.max_shift, len(self.original)
        dy = self.rng.integers(-m, m + 1, n)
        dx = self.rng.integers(-m, m + 1, n)
        for a in range(-m, m + 1):
            for b in range(-m, m + 1):
                chosen = np.flatnonzero((dy == a) & (dx == b))
                self.x[chosen] = shift_images(self.original[chosen], a, b, self.side)
        self.seconds += time.perf_counter() - start

    def __call__(self, epoch, history):
        self.refresh()


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


# ---------------------------------------------------------------- play with it


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


# ---------------------------------------------------------------- your own digit

MAX_UPLOAD_BYTES = 25 * 1024 * 1024


@dataclass
class OwnDigit:
    """What handle_upload() found: the 28×28 digit, the preprocessing steps and p_c."""

    name: str
    digit: np.ndarray
    steps: dict
    probabilities: np.ndarray

    @property
    def prediction(self):
        return int(np.argmax(self.probabilities))

    def message(self):
        order = np.argsort(-self.probabilities)
        first, second = order[:2]
        return (
            f"{self.name}: the network reads a {first} "
            f"(p = {self.probabilities[first]:.0%}); next most likely: {second} "
            f"(p = {self.probabilities[second]:.0%})."
        )


def handle_upload(model, content, name="your image", invert="auto"):
    """Preprocess an uploaded file (bytes) MNIST-style and ask the model.

    Returns (OwnDigit, message) on success, or (None, message) explaining what to change;
    never raises for a bad file. Uses course_utils.images.prepare_own_digit.
    """
    content = bytes(content)
    if len(content) == 0:
        return None, f"{name} is empty: choose a PNG or JPG image of one digit."
    if len(content) > MAX_UPLOAD_BYTES:
        return None, (
            f"{name} is {len(content) / 2**20:.0f} MB, more than the "
            f"{MAX_UPLOAD_BYTES // 2**20} MB accepted: send a smaller photo "
            "(a phone's 'medium' size is plenty)."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            digit, steps = prepare_own_digit(content, invert=invert, return_steps=True)
    except Image.DecompressionBombWarning:
        return None, f"{name} has too many pixels: shrink it below 50 megapixels first."
    except DataError as err:
        if "not an image format" in str(err):  # say it in the upload's own words
            return None, (
                f"Could not use {name}: it is not an image file Pillow can read. "
                "Expected a photo or drawing of one digit as a PNG or JPG file."
            )
        return None, f"Could not use {name}: {err}"
    probabilities = predict_proba(model, flatten_and_scale(digit[None]))[0]
    result = OwnDigit(name, digit, steps, probabilities)
    return result, result.message()


def show_own_digit(result, title=None):
    """Three panels: the picture as read, the 28×28 digit the network sees, its p_c."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), gridspec_kw={"width_ratios": [1, 1, 1.6]})
    axes[0].imshow(result.steps["grayscale"], cmap="gray", vmin=0, vmax=255)
    axes[0].set_title("your picture (grayscale)")
    axes[1].imshow(result.digit, cmap="gray_r", vmin=0, vmax=255)
    axes[1].set_title("what the network sees (28×28)")
    for ax in axes[:2]:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    colors = [COLORS[3] if c == result.prediction else COLORS[0] for c in range(10)]
    axes[2].bar(range(10), result.probabilities, color=colors)
    axes[2].set(
        xticks=range(10),
        ylim=(0, 1),
        xlabel="digit c",
        ylabel="$p_c$",
        title=f"prediction: {result.prediction} ({result.probabilities.max():.0%})",
    )
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def digit_upload(model):
    """A widget: upload a photo or drawing of one digit and see what the network reads."""
    import ipywidgets as w

    upload = w.FileUpload(accept="image/*", multiple=False, description="Upload a digit")
    invert = w.Dropdown(
        options=[
            ("detect automatically", "auto"),
            ("dark ink on light paper", True),
            ("light ink on dark background", False),
        ],
        value="auto",
        description="ink",
        style={"description_width": "40px"},
    )
    out = w.Output()

    def show(_=None):
        if not upload.value:
            return
        item = upload.value[0]
        out.clear_output(wait=True)
        with out:
            result, message = handle_upload(model, item["content"], item["name"], invert.value)
            print(message)
            if result is not None:
                show_own_digit(result)
                plt.show()

    upload.observe(show, names="value")
    invert.observe(show, names="value")
    return w.VBox([w.HBox([upload, invert]), out])


class Sketch:
    """A Pillow copy of what is drawn on the canvas: dark pen strokes on white paper.

    digit_canvas() draws every stroke twice, in the browser (for you) and here (for the
    network), so nothing has to be read back from the browser.
    """

    def __init__(self, size=280, pen=22):
        self.size, self.pen = size, pen
        self.clear()

    def clear(self):
        self.image = Image.new("L", (self.size, self.size), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.empty = True

    def dot(self, x, y):
        r = self.pen / 2
        self.draw.ellipse([x - r, y - r, x + r, y + r], fill=0)
        self.empty = False

    def line(self, start, end):
        self.draw.line([tuple(start), tuple(end)], fill=0, width=self.pen)
        self.dot(*end)  # round joints, like the browser's round line caps

    def png(self):
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG")
        return buffer.getvalue()


def digit_canvas(model, size=280, pen=22):
    """A widget to draw a digit with the mouse (or a finger) and see what the network reads.

    Needs the optional package ipycanvas (pip install ipycanvas); without it, returns a note
    saying so. The drawing goes through the same path as an upload (handle_upload).
    """
    import ipywidgets as w

    try:
        from ipycanvas import Canvas
    except ImportError:
        return w.HTML(
            "To draw a digit here, install the optional package ipycanvas "
            "(<code>pip install ipycanvas</code>) and restart the kernel; "
            "uploading a picture works without it."
        )
    canvas = Canvas(width=size, height=size, layout=w.Layout(border="1px solid #999"))
    sketch = Sketch(size, pen)
    out = w.Output()
    state = {"last": None}

    def blank():
        canvas.fill_style = "white"
        canvas.fill_rect(0, 0, size, size)
        canvas.stroke_style = canvas.fill_style = "black"
        canvas.line_width, canvas.line_cap, canvas.line_join = pen, "round", "round"

    def down(x, y):
        state["last"] = (x, y)
        canvas.fill_circle(x, y, pen / 2)
        sketch.dot(x, y)

    def move(x, y):
        if state["last"] is not None:
            canvas.stroke_line(*state["last"], x, y)
            sketch.line(state["last"], (x, y))
            state["last"] = (x, y)

    def up(x=None, y=None):
        if state["last"] is None:
            return
        state["last"] = None
        out.clear_output(wait=True)
        with out:
            result, message = handle_upload(model, sketch.png(), "your drawing")
            print(message)
            if result is not None:
                show_own_digit(result)
                plt.show()

    def clear(_=None):
        sketch.clear()
        blank()
        out.clear_output()

    canvas.on_mouse_down(down)
    canvas.on_mouse_move(move)
    canvas.on_mouse_up(up)
    canvas.on_mouse_out(up)
    canvas.on_touch_start(lambda touches: down(*touches[0]))
    canvas.on_touch_move(lambda touches: move(*touches[0]))
    canvas.on_touch_end(lambda touches: up())
    button = w.Button(description="Clear", icon="eraser")
    button.on_click(clear)
    blank()
    return w.VBox([w.HBox([canvas, button]), out])


def make_synthetic_photo(
    digit, size=(640, 480), height=260, centre=(0.66, 0.38), angle=8, shadow=0.1, seed=0
):
    """A fake phone photo of an MNIST digit: dark ink on uneven light paper, big, off-centre.

    digit: uint8 (28, 28), white on black as in MNIST. Returns a PIL RGB image of `size`
    (width, height) with the digit `height` pixels tall, its centre at `centre` (fractions
    of width and height), turned by `angle` degrees, with sensor noise and light that falls
    off from left to right: the right edge is darker by the fraction `shadow`.
    """
    rng = np.random.default_rng(seed)
    width, full_height = size
    ink = (
        Image.fromarray(np.asarray(digit, dtype=np.uint8))
        .resize((height, height), Image.Resampling.BICUBIC)
        .rotate(angle, Image.Resampling.BICUBIC)
    )
    ink = ink.filter(ImageFilter.GaussianBlur(2))
    mask = Image.new("L", size, 0)
    corner = (int(centre[0] * width - height / 2), int(centre[1] * full_height - height / 2))
    mask.paste(ink, corner)
    yy, xx = np.mgrid[0:full_height, 0:width]
    shade = 1.0 - shadow * (xx / width) - 0.03 * (yy / full_height)
    paper = np.array([236.0, 230.0, 214.0])[None, None, :] * shade[..., None]
    paper += rng.normal(0, 4, paper.shape)
    paper[40::40] = [170.0, 190.0, 225.0]  # the pale blue lines of a school exercise book
    pen = np.array([35.0, 40.0, 70.0])
    alpha = np.asarray(mask, dtype=np.float64)[..., None] / 255
    photo = (1 - alpha) * paper + alpha * pen
    return Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8), "RGB")


def image_bytes(image, fmt="JPEG"):
    """Encode a PIL image as the bytes of a file, as an upload widget would deliver them."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()
