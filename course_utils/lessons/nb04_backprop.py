"""Figures and the widget of notebook 04 (backpropagation).

The tiny network of the notebook's worked example: one input x, two hidden ReLU
neurons, one output ŷ and the loss (ŷ − y)²:

    z1 = M1·x + b1,  o1 = ReLU(z1),  ŷ = M_out·o1 + b_out,  loss = (ŷ − y)²

flow_values() computes every forward and backward number; draw_flow() draws the
network with the numbers known after a given step; flow_widget() steps through them.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..datasets import make_moons
from ..layers import MLP, Linear
from ..losses import CrossEntropyLoss
from ..optim import SGD
from ..plots import COLORS, plot_decision_regions
from ..training import fit

M1 = np.array([[0.5], [-1.0]])
B1 = np.array([1.0, 0.5])
M_OUT = np.array([[-1.5, 2.0]])
B_OUT = np.array([0.5])

FORWARD, BACKWARD = COLORS[0], COLORS[3]  # blue forward, vermillion backward

STEPS = [
    "the input x and the target y",
    "forward: z1 = M1·x + b1",
    "forward: o1 = ReLU(z1)",
    "forward: ŷ = M_out·o1 + b_out",
    "forward: loss = (ŷ − y)²",
    "backward: ∂loss/∂ŷ = 2 (ŷ − y)",
    "backward: ∂loss/∂M_out = ∂loss/∂ŷ · o1,  ∂loss/∂b_out = ∂loss/∂ŷ",
    "backward: ∂loss/∂o1 = M_outᵀ · ∂loss/∂ŷ",
    "backward: ∂loss/∂z1 = ∂loss/∂o1 · ReLU'(z1)",
    "backward: ∂loss/∂M1 = ∂loss/∂z1 · x,  ∂loss/∂b1 = ∂loss/∂z1",
]
LAST_STEP = len(STEPS) - 1


def flow_values(x=2.0, y=1.0, M1=M1, b1=B1, M_out=M_OUT, b_out=B_OUT):
    """Every number of the forward and the backward pass of the tiny network, as a dict.

    Forward: z1, o1 (2,), y_hat, loss. Backward: d_yhat, dM_out (1, 2), db_out (1,), d_o1,
    d_z1 (2,),
    dM1 (2, 1), db1 (2,).
    """
    z1 = M1[:, 0] * x + b1
    o1 = np.maximum(z1, 0)
    y_hat = float(M_out[0] @ o1 + b_out[0])
    loss = (y_hat - y) ** 2
    d_yhat = 2 * (y_hat - y)
    d_o1 = M_out[0] * d_yhat
    d_z1 = d_o1 * (z1 > 0)
    values = {
        "x": x, "y": y, "z1": z1, "o1": o1, "y_hat": y_hat, "loss": loss,
        "d_yhat": d_yhat, "dM_out": d_yhat * o1[None, :], "db_out": np.array([d_yhat]),
        "d_o1": d_o1, "d_z1": d_z1, "dM1": (d_z1 * x)[:, None], "db1": d_z1,
    }  # fmt: skip
    return {key: value + 0.0 for key, value in values.items()}  # + 0.0 turns -0.0 into 0.0


def step_text(step, v):
    """One line describing a step with its numbers, e.g. for the widget's printout."""
    numbers = [
        f"x = {v['x']:.2f}, y = {v['y']:.2f}",
        f"z1 = ({v['z1'][0]:.2f}, {v['z1'][1]:.2f})",
        f"o1 = ({v['o1'][0]:.2f}, {v['o1'][1]:.2f})",
        f"ŷ = {v['y_hat']:.2f}",
        f"loss = {v['loss']:.2f}",
        f"∂loss/∂ŷ = {v['d_yhat']:.2f}",
        f"∂loss/∂M_out = ({v['dM_out'][0, 0]:.2f}, {v['dM_out'][0, 1]:.2f}), "
        f"∂loss/∂b_out = {v['db_out'][0]:.2f}",
        f"∂loss/∂o1 = ({v['d_o1'][0]:.2f}, {v['d_o1'][1]:.2f})",
        f"∂loss/∂z1 = ({v['d_z1'][0]:.2f}, {v['d_z1'][1]:.2f})",
        f"∂loss/∂M1 = ({v['dM1'][0, 0]:.2f}, {v['dM1'][1, 0]:.2f}), "
        f"∂loss/∂b1 = ({v['db1'][0]:.2f}, {v['db1'][1]:.2f})",
    ]
    return f"step {step}/{LAST_STEP}, {STEPS[step]}: {numbers[step]}"


POSITIONS = {"x": (0, 0), "h0": (2.5, 1.1), "h1": (2.5, -1.1), "out": (5.0, 0), "loss": (7.0, 0)}


def draw_flow(step=LAST_STEP, x=2.0, y=1.0, ax=None):
    """Draw the tiny network with the numbers known after `step` (0 … LAST_STEP).

    Forward values are blue, above the nodes; gradients are vermillion, below them.
    """
    v = flow_values(x, y)
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 6))
    ax.set(xlim=(-0.8, 7.8), ylim=(-2.3, 2.4), aspect="equal")
    ax.axis("off")

    def node(key, label):
        px, py = POSITIONS[key]
        ax.add_patch(
            plt.Circle((px, py), 0.28, facecolor="white", edgecolor="black", lw=1.5, zorder=3)
        )
        ax.text(px, py, label, ha="center", va="center", fontsize=13, zorder=4)

    def note(key, text, color, above):
        px, py = POSITIONS[key]
        ax.text(
            px,
            py + (0.36 if above else -0.36),
            text,
            ha="center",
            va="bottom" if above else "top",
            fontsize=12,
            color=color,
            zorder=4,
        )

    def edge(a, b, label, grad=None, shift=0.0):
        (ax0, ay0), (bx0, by0) = POSITIONS[a], POSITIONS[b]
        ax.annotate(
            "",
            xy=(bx0 - 0.3, by0),
            xytext=(ax0 + 0.3, ay0),
            arrowprops={"arrowstyle": "->", "color": "gray", "lw": 1.5},
            zorder=1,
        )
        mx, my = (ax0 + bx0) / 2, (ay0 + by0) / 2 + shift
        text = label if grad is None else f"{label}\n∂: {grad}"
        ax.text(
            mx,
            my,
            text,
            ha="center",
            va="center",
            fontsize=11.5,
            color="black" if grad is None else BACKWARD,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=2,
        )

    g2 = step >= 6
    g1 = step >= 9
    edge("x", "h0", f"m = {M1[0, 0]:g}", f"{v['dM1'][0, 0]:.2f}" if g1 else None)
    edge("x", "h1", f"m = {M1[1, 0]:g}", f"{v['dM1'][1, 0]:.2f}" if g1 else None)
    edge("h0", "out", f"m = {M_OUT[0, 0]:g}", f"{v['dM_out'][0, 0]:.2f}" if g2 else None)
    edge("h1", "out", f"m = {M_OUT[0, 1]:g}", f"{v['dM_out'][0, 1]:.2f}" if g2 else None)
    ax.annotate(
        "",
        xy=(POSITIONS["loss"][0] - 0.3, 0),
        xytext=(POSITIONS["out"][0] + 0.3, 0),
        arrowprops={"arrowstyle": "->", "color": "gray", "lw": 1.5},
    )
    ax.text(6.0, 0.12, f"target y = {y:g}", ha="center", va="bottom", fontsize=10)

    node("x", "x")
    node("h0", "ReLU")
    node("h1", "ReLU")
    node("out", "ŷ")
    node("loss", "loss")
    note("x", f"x = {x:.2f}", FORWARD, True)
    for i, key in enumerate(("h0", "h1")):
        lines = [f"b = {B1[i]:g}"]
        if step >= 1:
            lines.append(f"z = {v['z1'][i]:.2f}")
        if step >= 2:
            lines.append(f"o = {v['o1'][i]:.2f}")
        note(key, "\n".join(lines), FORWARD, True)
        back = []
        if step >= 7:
            back.append(f"∂/∂o = {v['d_o1'][i]:.2f}")
        if step >= 8:
            back.append(f"∂/∂z = {v['d_z1'][i]:.2f}")
        if back:
            note(key, "\n".join(back), BACKWARD, False)
    note(
        "out", f"b = {B_OUT[0]:g}" + (f"\nŷ = {v['y_hat']:.2f}" if step >= 3 else ""), FORWARD, True
    )
    if step >= 5:
        note(
            "out",
            f"∂/∂ŷ = {v['d_yhat']:.2f}" + (f"\n∂/∂b = {v['db_out'][0]:.2f}" if g2 else ""),
            BACKWARD,
            False,
        )
    if step >= 4:
        note("loss", f"{v['loss']:.2f}", FORWARD, True)
    if step >= 5:
        note("loss", "∂/∂loss = 1", BACKWARD, False)
    ax.set_title(f"Step {step}/{LAST_STEP}, {STEPS[step]}", fontsize=13)
    return ax


def draw_flow_steps(steps=(4, LAST_STEP), x=2.0, y=1.0):
    """Small multiples of draw_flow: the static figure for the widget."""
    fig, axes = plt.subplots(len(steps), 1, figsize=(11, 6 * len(steps)))
    for ax, step in zip(np.atleast_1d(axes), steps):
        draw_flow(step, x, y, ax=ax)
    fig.tight_layout()
    return fig


def flow_widget(x=2.0, y=1.0):
    """Play/step through the forward and backward pass; sliders change the input x and target y."""
    import ipywidgets as widgets
    from IPython.display import display

    step = widgets.IntSlider(value=0, min=0, max=LAST_STEP, description="step")
    play = widgets.Play(value=0, min=0, max=LAST_STEP, interval=1200, description="play")
    widgets.jslink((play, "value"), (step, "value"))
    x_slider = widgets.FloatSlider(value=x, min=-2.0, max=3.0, step=0.25, description="input x")
    y_slider = widgets.FloatSlider(value=y, min=-3.0, max=3.0, step=0.25, description="target y")
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            v = flow_values(x_slider.value, y_slider.value)
            print(step_text(step.value, v))
            draw_flow(step.value, x_slider.value, y_slider.value)
            plt.show()

    for w in (step, x_slider, y_slider):
        w.observe(redraw, names="value")
    redraw()
    display(widgets.VBox([widgets.HBox([play, step]), widgets.HBox([x_slider, y_slider]), out]))


# --- ∂J/∂M = Gᵀx: a shapes diagram -----------------------------------------------------------


def draw_shapes(batch=5, n_in=3, n_out=2, k=1, j=2, ax=None):
    """Boxes drawn to scale: Gᵀ (n_out, M) @ x (M, n_in) = ∂J/∂M (n_out, n_in).

    Row k of Gᵀ and column j of x are highlighted: their product, summed over the M examples
    of the batch, is the entry (k, j) of ∂J/∂M.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.2))
    ax.set_aspect("equal")
    ax.axis("off")

    def grid(x0, rows, cols, label, shape, row=None, col=None, color=COLORS[0]):
        top = batch  # every box hangs from the same top line
        for r in range(rows):
            for c in range(cols):
                hot = (row is not None and r == row) or (col is not None and c == col)
                ax.add_patch(
                    plt.Rectangle(
                        (x0 + c, top - r - 1),
                        1,
                        1,
                        facecolor=color if hot else "white",
                        alpha=0.55 if hot else 1.0,
                        edgecolor="black",
                        lw=1.2,
                    )
                )
        ax.text(x0 + cols / 2, top + 0.35, label, ha="center", va="bottom", fontsize=14)
        ax.text(x0 + cols / 2, top - rows - 0.25, shape, ha="center", va="top", fontsize=12)

    gx, xx = 0.0, batch + 2.0
    rx = xx + n_in + 2.0
    grid(gx, n_out, batch, "Gᵀ = (∂J/∂out)ᵀ", f"({n_out}, M = {batch})", row=k)
    ax.text(xx - 1.0, batch - 1.0, "@", ha="center", va="center", fontsize=20)
    grid(xx, batch, n_in, "x (the cached input)", f"(M = {batch}, {n_in})", col=j, color=COLORS[1])
    ax.text(rx - 1.0, batch - 1.0, "=", ha="center", va="center", fontsize=20)
    grid(rx, n_out, n_in, "∂J/∂M", f"({n_out}, {n_in}), like M", row=None, col=None)
    ax.add_patch(
        plt.Rectangle((rx + j, batch - k - 1), 1, 1, facecolor=COLORS[3], alpha=0.7, lw=1.2,
                      edgecolor="black")
    )  # fmt: skip
    ax.text(
        rx + n_in + 0.4,
        batch - k - 0.5,
        f"entry ({k}, {j}) = Σ_i G[i, {k}] · x[i, {j}]",
        ha="left",
        va="center",
        fontsize=12,
        color=COLORS[3],
    )
    ax.set(xlim=(-0.5, rx + n_in + 9), ylim=(-1.0, batch + 1.2))
    ax.set_title("The batch index i is summed away: ∂J/∂M = Gᵀ·x has the shape of M", fontsize=14)
    return ax


# --- initialisation --------------------------------------------------------------------------


def set_init(model, init):
    """Overwrite every Linear layer's weights: "zeros" (M = 0, b = 0) or "constant" (M = 0.5)."""
    for layer in model.layers:
        if isinstance(layer, Linear):
            layer.M[...] = {"zeros": 0.0, "constant": 0.5}[init]
            layer.b[...] = 0.0
    return model


def train_with_init(init, hidden=8, epochs=300, lr=0.5, seed=0):
    """Train a 2-hidden-2 ReLU network on 200 moons points, full batch, from one initialisation.

    init: "zeros", "constant" or "random" (He, what MLP does). Returns a dict with the model,
    the data, the training accuracy and how many hidden neurons ended up different.
    """
    x, y = make_moons(200, noise=0.15, seed=0)
    x = x.astype(np.float64)
    model = MLP([2, hidden, 2], seed=seed, dtype=np.float64)
    if init != "random":
        set_init(model, init)
    history = fit(
        model, CrossEntropyLoss(), SGD(model, lr=lr), x, y, epochs=epochs, batch_size=len(x),
        progress=False, diagnose=False,  # the failures are the lesson here, not a surprise
    )  # fmt: skip
    first = model.layers[0]
    neurons = np.column_stack([first.M, first.b])  # one row per hidden neuron
    return {
        "model": model,
        "x": x,
        "y": y,
        "accuracy": history["train_acc"][-1],
        "different": len(np.unique(neurons, axis=0)),
        "hidden": hidden,
    }


def plot_init_runs(runs):
    """runs: {name: train_with_init(...)}; one decision-region panel per initialisation."""
    fig, axes = plt.subplots(1, len(runs), figsize=(5.2 * len(runs), 4.8))
    for ax, (name, run) in zip(np.atleast_1d(axes), runs.items()):
        plot_decision_regions(
            run["model"], run["x"], run["y"], ax=ax,
            title=f"{name}: {run['different']} different neuron"
            f"{'s' if run['different'] > 1 else ''}",
        )  # fmt: skip
    fig.suptitle("The same 2-8-2 network, trained 300 steps from three initialisations")
    fig.tight_layout()
    return fig


def layer_output_stds(scale, activation="relu", depth=10, width=100, n=500, seed=0):
    """Push n random inputs through `depth` layers of `width` neurons; std of each layer's output.

    scale: a number (the standard deviation of every weight) or "he" (sqrt(2 / n_in)) or
    "xavier" (sqrt(1 / n_in)). Biases are 0. Returns a list of `depth` floats.
    """
    rng = np.random.default_rng(seed)
    std = {"he": np.sqrt(2 / width), "xavier": np.sqrt(1 / width)}.get(scale, scale)
    phi = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}[activation]
    o = rng.standard_normal((n, width))
    stds = []
    for _ in range(depth):
        o = phi(o @ (rng.standard_normal((width, width)) * std).T)
        stds.append(float(o.std()))
    return stds


INIT_SCALES = {"relu": (0.01, "he", 1.0), "tanh": (0.01, "xavier", 1.0)}
SCALE_NAMES = {0.01: "std 0.01 (too small)", 1.0: "std 1 (too large)",
               "he": "He: sqrt(2 / n_in)", "xavier": "Xavier: sqrt(1 / n_in)"}  # fmt: skip


def plot_init_scales(depth=10, width=100):
    """Two panels (ReLU, tanh): the spread of every layer's output for three weight scales."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
    layers = np.arange(1, depth + 1)
    for ax, (activation, scales) in zip(axes, INIT_SCALES.items()):
        for color, scale in zip((COLORS[3], COLORS[0], COLORS[1]), scales):
            stds = layer_output_stds(scale, activation, depth, width)
            ax.plot(layers, stds, "o-", color=color, label=SCALE_NAMES[scale])
        name = "ReLU" if activation == "relu" else "tanh"
        ax.set(yscale="log", xlabel="layer", ylabel="std of the layer's output o",
               title=f"{width} {name} neurons per layer")  # fmt: skip
        ax.legend(fontsize=10)
    fig.suptitle("How the spread of the signal changes from layer to layer")
    fig.tight_layout()
    return fig


# --- vanishing gradients ---------------------------------------------------------------------


def gradient_norms(activation, sizes=(2,) + (32,) * 8 + (2,), seed=0):
    """|∂J/∂M| (Frobenius norm) of every Linear layer, first layer first, at initialisation.

    One forward and backward pass of MLP(sizes, activation) (He for ReLU, Xavier otherwise)
    on 200 moons points with the cross-entropy cost.
    """
    x, y = make_moons(200, noise=0.2, seed=0)
    model = MLP(list(sizes), activation=activation, seed=seed, dtype=np.float64)
    loss = CrossEntropyLoss()
    loss(model(x.astype(np.float64)), y)
    model.backward(loss.backward())
    return [float(np.linalg.norm(layer.dM)) for layer in model.layers if isinstance(layer, Linear)]


def median_gradient_norms(activation, seeds=range(5), **kwargs):
    """gradient_norms for several seeds; the median of each layer (robust to one odd draw)."""
    return np.median([gradient_norms(activation, seed=s, **kwargs) for s in seeds], axis=0)


def plot_gradient_norms(norms):
    """norms: {activation name: per-layer gradient norms}; one line each, log scale."""
    fig, ax = plt.subplots(figsize=(9, 4.6))
    for color, (name, values) in zip((COLORS[0], COLORS[3], COLORS[2]), norms.items()):
        layers = np.arange(1, len(values) + 1)
        ax.plot(layers, values, "o-", color=color, label=name, lw=2)
    ax.set(yscale="log", xlabel="layer (1 = first hidden layer, last = output layer)",
           ylabel="|∂J/∂M| of the layer",
           title="Gradient size per layer at the start of training (median of 5 seeds)",
    )  # fmt: skip
    ax.legend()
    fig.tight_layout()
    return fig


# --- p − y, as bars --------------------------------------------------------------------------


def plot_softmax_gradient(p, label, names=None):
    """Three groups of bars per class: the probabilities p, the one-hot target y, and p − y."""
    p = np.asarray(p, dtype=float)
    y = np.eye(len(p))[label]
    names = names or [f"class {c}" for c in range(len(p))]
    fig, ax = plt.subplots(figsize=(8, 4))
    positions = np.arange(len(p))
    for shift, values, color, text in [
        (-0.27, p, COLORS[0], "p = softmax(ŷ)"),
        (0.0, y, COLORS[1], "y (one-hot)"),
        (0.27, p - y, COLORS[3], "∂loss/∂ŷ = p − y"),
    ]:
        bars = ax.bar(positions + shift, values, width=0.26, color=color, label=text)
        ax.bar_label(bars, labels=[f"{v:+.1f}" if text.startswith("∂") else f"{v:.1f}"
                                   for v in values], fontsize=10, padding=2)  # fmt: skip
    ax.axhline(0, color="black", lw=0.8)
    title = "Descent lowers the logits with a positive p − y and raises the negative one"
    ax.set(xticks=positions, xticklabels=names, ylim=(-1.15, 1.25), ylabel="value", title=title)
    ax.legend(loc="lower left", fontsize=10)
    fig.tight_layout()
    return fig
