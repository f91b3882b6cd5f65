"""Figures and widgets of notebook 02 (the forward pass).

HAND_NETWORK                 the 2-3-2 network worked by hand: {"M1", "b1", "M_out", "b_out"}
forward(x, net)              ŷ for a batch x (batch, 2): ReLU hidden layer, no φ on the output
draw_network(ax, net)        the network as a graph: nodes, weights on the edges, biases
draw_regions(ax, net)        the plane coloured by the class argmax ŷ the network picks
labelled_cost(net)           (wrong, J) on the twelve labelled points LABELLED_X, LABELLED_Y
network_line(net, name)      the text line the widget prints
network_widget()             pick a weight or bias, move it, see graph and regions change
plot_network_examples(...)   the widget's static twin: regions for a few values of one weight
show_scans(x, y)             a few tiny "brain scans" with their target values
"""

import copy

import matplotlib.pyplot as plt
import numpy as np

from ..activations import relu
from ..losses import cross_entropy
from ..plots import COLORS

HAND_NETWORK = {
    "M1": np.array([[1.0, 0.0], [-1.0, 1.0], [2.0, -1.0]]),
    "b1": np.array([0.0, 1.0, -1.0]),
    "M_out": np.array([[1.0, -1.0, 2.0], [0.0, 1.0, 1.0]]),
    "b_out": np.array([0.5, -1.0]),
}
X_POINT = np.array([1.0, 2.0])
# twelve labelled points for the widget's cost: class 1 above the diagonal x2 = x1, else class 0
LABELLED_X = np.array([
    [-2.1, -1.3], [1.5, 0.4], [-2.0, -0.3], [-0.1, -1.7], [1.2, -1.9], [-0.5, 0.1],
    [-0.3, 0.4], [1.2, 2.3], [-1.1, 0.7], [1.0, -1.0], [-2.5, 2.4], [-1.0, -0.9],
])  # fmt: skip
LABELLED_Y = (LABELLED_X[:, 1] > LABELLED_X[:, 0]).astype(int)


def forward(x, net):
    """ŷ = M_out·φ(M1·x + b1) + b_out with φ = ReLU, batch-first: x (batch, 2) -> (batch, 2)."""
    o1 = relu(x @ net["M1"].T + net["b1"])
    return o1 @ net["M_out"].T + net["b_out"]


def parameter_names(net):
    """["M1[0, 0]", ..., "b_out[1]"]: every single weight and bias of net."""
    names = []
    for key, value in net.items():
        for index in np.ndindex(value.shape):
            names.append(f"{key}[{', '.join(map(str, index))}]")
    return names


def split_name(name):
    key, index = name.rstrip("]").split("[")
    return key, tuple(int(i) for i in index.split(","))


def get_parameter(net, name):
    key, index = split_name(name)
    return float(net[key][index])


def set_parameter(net, name, value):
    key, index = split_name(name)
    net[key][index] = value


def node_positions(sizes):
    """x, y positions of the nodes, one column per layer, centred vertically."""
    return [[(col, (n - 1) / 2 - i) for i in range(n)] for col, n in enumerate(sizes)]


def number_label(ax, x, y, text, highlighted, va):
    """A weight or bias written on the drawing; the one the widget changes is yellow."""
    ax.text(
        x,
        y,
        text,
        ha="center",
        va=va,
        fontsize=10,
        zorder=3,
        fontweight="bold" if highlighted else "normal",
        bbox=dict(boxstyle="round,pad=0.15", fc="yellow" if highlighted else "white", ec="none"),
    )


def draw_network(ax, net, highlight=None):
    """The 2-3-2 network: edges coloured by the sign of the weight (blue +, vermillion −),
    as thick as |weight|, labelled with its value; biases next to the nodes."""
    layers = [("M1", "b1"), ("M_out", "b_out")]
    sizes = [net["M1"].shape[1], net["M1"].shape[0], net["M_out"].shape[0]]
    pos = node_positions(sizes)
    for col, (m_key, b_key) in enumerate(layers):
        M = net[m_key]
        for j in range(M.shape[0]):
            for i in range(M.shape[1]):
                (x0, y0), (x1, y1) = pos[col][i], pos[col + 1][j]
                w = M[j, i]
                name = f"{m_key}[{j}, {i}]"
                color = COLORS[0] if w > 0 else COLORS[3] if w < 0 else "0.75"
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color=color,
                    lw=0.8 + 1.5 * min(abs(w), 3),
                    ls="-" if w != 0 else ":",
                    zorder=1,
                )
                t = 0.22 + 0.18 * j if col == 0 else 0.42 + 0.16 * i  # labels apart
                xt, yt = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                number_label(ax, xt, yt, f"{w:g}", name == highlight, "center")
        for j, value in enumerate(net[b_key]):
            x1, y1 = pos[col + 1][j]
            name = f"{b_key}[{j}]"
            number_label(ax, x1, y1 - 0.3, f"b = {value:g}", name == highlight, "top")
    labels = [
        [f"$x_{i + 1}$" for i in range(sizes[0])],
        [f"$o_{{1,{j + 1}}}$" for j in range(sizes[1])],
        [f"$\\hat y_{k + 1}$" for k in range(sizes[2])],
    ]
    for col, column in enumerate(pos):
        for (x, y), label in zip(column, labels[col]):
            ax.scatter([x], [y], s=900, color="white", edgecolor="black", zorder=2)
            ax.text(x, y, label, ha="center", va="center", fontsize=12, zorder=4)
    for col, title in enumerate(["input x", "hidden o1 = φ(M1·x + b1)", "output ŷ"]):
        ax.text(col, max(sizes) / 2 + 0.1, title, ha="center", fontsize=11)
    ax.set(xlim=(-0.4, 2.4), ylim=(-max(sizes) / 2 - 0.3, max(sizes) / 2 + 0.45))
    ax.axis("off")


def draw_regions(ax, net, lim=3.0, resolution=200):
    """Colour the plane (x1, x2) by the class argmax ŷ; mark the point x = (1, 2)."""
    g = np.linspace(-lim, lim, resolution)
    gx, gy = np.meshgrid(g, g)
    y_hat = forward(np.column_stack([gx.ravel(), gy.ravel()]), net)
    classes = y_hat.argmax(axis=1).reshape(gx.shape)
    cmap = plt.matplotlib.colors.ListedColormap([COLORS[0], COLORS[1]])
    ax.contourf(gx, gy, classes, levels=[-0.5, 0.5, 1.5], cmap=cmap, alpha=0.35)
    for c, marker in ((0, "o"), (1, "^")):
        chosen = LABELLED_X[LABELLED_Y == c]
        ax.plot(chosen[:, 0], chosen[:, 1], marker, color=COLORS[c], mec="black", ms=8, ls="none")
    point = forward(X_POINT[None], net)[0]
    ax.plot(*X_POINT, "o", color="black", ms=8)
    ax.annotate(
        f"ŷ = ({point[0]:.2f}, {point[1]:.2f})",
        X_POINT,
        xytext=(-8, 8),
        textcoords="offset points",
        fontsize=11,
        ha="right",
        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8),
    )
    handles = [
        plt.matplotlib.patches.Patch(
            color=COLORS[c], alpha=0.5, label=f"class {c}: ŷ{c + 1} largest"
        )
        for c in (0, 1)
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=10)
    ax.set(
        xlabel="$x_1$",
        ylabel="$x_2$",
        xlim=(-lim, lim),
        ylim=(-lim, lim),
        title="class = argmax ŷ (dot: x = (1, 2))",
        aspect="equal",
    )


def labelled_cost(net):
    """(how many of the 12 labelled points the network puts in the wrong class, the cost J).

    J is the cross-entropy of notebook 03: the mean over the points of −log p(right class).
    """
    y_hat = forward(LABELLED_X, net)
    wrong = int(np.sum(y_hat.argmax(axis=1) != LABELLED_Y))
    return wrong, float(cross_entropy(y_hat, LABELLED_Y))


def network_line(net, name):
    """E.g. 'M1[0, 1] = 0.00: ŷ at x = (1, 2) is (-0.50, 1.00), class 1; labelled points:
    0 of 12 wrong, cost J = 0.101'."""
    y_hat = forward(X_POINT[None], net)[0]
    wrong, cost = labelled_cost(net)
    return (
        f"{name} = {get_parameter(net, name):.2f}: ŷ at x = (1, 2) is "
        f"({y_hat[0]:.2f}, {y_hat[1]:.2f}), class {int(y_hat.argmax())}; labelled points: "
        f"{wrong} of {len(LABELLED_Y)} wrong, cost J = {cost:.3f}"
    )


def draw_both(net, highlight=None):
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), width_ratios=(1.3, 1))
    draw_network(left, net, highlight)
    draw_regions(right, net)
    fig.tight_layout()
    return fig


def network_widget(net=None, parameter="M1[0, 1]"):
    """Pick one weight or bias from a menu and move it with the slider.

    Shows the network graph and the decision regions, and prints network_line().
    Works on a copy of net (default HAND_NETWORK). .controls holds (menu, slider) for tests.
    """
    import ipywidgets as widgets

    net = copy.deepcopy(HAND_NETWORK if net is None else net)
    menu = widgets.Dropdown(options=parameter_names(net), value=parameter, description="parameter")
    slider = widgets.FloatSlider(
        value=get_parameter(net, parameter),
        min=-3,
        max=3,
        step=0.1,
        description="value",
        readout_format=".2f",
    )
    out = widgets.Output()
    busy = {"menu": False}

    def redraw():
        with out:
            out.clear_output(wait=True)
            print(network_line(net, menu.value))
            fig = draw_both(net, highlight=menu.value)
            plt.show()
            plt.close(fig)

    def on_slider(change):
        if busy["menu"]:
            return
        set_parameter(net, menu.value, change["new"])
        redraw()

    def on_menu(change):
        busy["menu"] = True  # moving the slider to the new parameter's value changes nothing
        slider.value = get_parameter(net, change["new"])
        busy["menu"] = False
        redraw()

    slider.observe(on_slider, names="value")
    menu.observe(on_menu, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox([menu, slider]), out])
    box.controls = (menu, slider)
    box.net = net
    return box


def plot_network_examples(parameter="M1[0, 1]", values=(-1.0, 0.0, 1.0, 2.0), net=None):
    """The widget's static twin: decision regions for a few values of one parameter."""
    fig, axes = plt.subplots(1, len(values), figsize=(4.2 * len(values), 5.0))
    for i, (ax, value) in enumerate(zip(np.atleast_1d(axes), values)):
        changed = copy.deepcopy(HAND_NETWORK if net is None else net)
        set_parameter(changed, parameter, value)
        draw_regions(ax, changed)
        wrong, cost = labelled_cost(changed)
        ax.set_title(f"{parameter} = {value:g}: {wrong} wrong, J = {cost:.2f}", fontsize=13)
        if i > 0:
            ax.get_legend().remove()
    fig.suptitle("The class the network picks, for four values of one weight")
    fig.tight_layout()
    return fig


def show_scans(x, y, size=8, n=5):
    """n tiny scans (each a row of x, reshaped to size×size) titled with their target y."""
    fig, axes = plt.subplots(1, n, figsize=(2.3 * n, 2.8))
    for i, ax in enumerate(axes):
        ax.imshow(x[i].reshape(size, size), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"y = {float(y[i, 0]):.0f}", fontsize=12)
        ax.axis("off")
    fig.suptitle(f"Made-up {size}×{size} scans: each is a vector x of {size * size} numbers")
    fig.tight_layout()
    return fig
