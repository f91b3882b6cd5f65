"""Figures and the widget of notebook 04 (backpropagation).

The tiny network of the notebook's worked example: one input x, two hidden ReLU
neurons, one output ŷ and the loss (ŷ − y)²:

    z1 = M1·x + b1,  o1 = ReLU(z1),  ŷ = M2·o1 + b2,  loss = (ŷ − y)²

flow_values() computes every forward and backward number; draw_flow() draws the
network with the numbers known after a given step; flow_widget() steps through them.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..plots import COLORS

M1 = np.array([[0.5], [-1.0]])
B1 = np.array([1.0, 0.5])
M2 = np.array([[-1.5, 2.0]])
B2 = np.array([0.5])

FORWARD, BACKWARD = COLORS[0], COLORS[3]  # blue forward, vermillion backward

STEPS = [
    "the input x and the target y",
    "forward: z1 = M1·x + b1",
    "forward: o1 = ReLU(z1)",
    "forward: ŷ = M2·o1 + b2",
    "forward: loss = (ŷ − y)²",
    "backward: ∂loss/∂ŷ = 2 (ŷ − y)",
    "backward: ∂loss/∂M2 = ∂loss/∂ŷ · o1,  ∂loss/∂b2 = ∂loss/∂ŷ",
    "backward: ∂loss/∂o1 = M2ᵀ · ∂loss/∂ŷ",
    "backward: ∂loss/∂z1 = ∂loss/∂o1 · ReLU'(z1)",
    "backward: ∂loss/∂M1 = ∂loss/∂z1 · x,  ∂loss/∂b1 = ∂loss/∂z1",
]
LAST_STEP = len(STEPS) - 1


def flow_values(x=2.0, y=1.0, M1=M1, b1=B1, M2=M2, b2=B2):
    """Every number of the forward and the backward pass of the tiny network, as a dict.

    Forward: z1, o1 (2,), y_hat, loss. Backward: d_yhat, dM2 (1, 2), db2 (1,), d_o1, d_z1 (2,),
    dM1 (2, 1), db1 (2,).
    """
    z1 = M1[:, 0] * x + b1
    o1 = np.maximum(z1, 0)
    y_hat = float(M2[0] @ o1 + b2[0])
    loss = (y_hat - y) ** 2
    d_yhat = 2 * (y_hat - y)
    d_o1 = M2[0] * d_yhat
    d_z1 = d_o1 * (z1 > 0)
    values = {
        "x": x, "y": y, "z1": z1, "o1": o1, "y_hat": y_hat, "loss": loss,
        "d_yhat": d_yhat, "dM2": d_yhat * o1[None, :], "db2": np.array([d_yhat]),
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
        f"∂loss/∂M2 = ({v['dM2'][0, 0]:.2f}, {v['dM2'][0, 1]:.2f}), ∂loss/∂b2 = {v['db2'][0]:.2f}",
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
    edge("h0", "out", f"m = {M2[0, 0]:g}", f"{v['dM2'][0, 0]:.2f}" if g2 else None)
    edge("h1", "out", f"m = {M2[0, 1]:g}", f"{v['dM2'][0, 1]:.2f}" if g2 else None)
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
    note("out", f"b = {B2[0]:g}" + (f"\nŷ = {v['y_hat']:.2f}" if step >= 3 else ""), FORWARD, True)
    if step >= 5:
        note(
            "out",
            f"∂/∂ŷ = {v['d_yhat']:.2f}" + (f"\n∂/∂b = {v['db2'][0]:.2f}" if g2 else ""),
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
