"""Notebook 07 (the MNIST hands-on): your own digit, uploaded, drawn or made by code.

handle_upload         an uploaded file (bytes) -> the 28×28 digit and the network's answer
show_own_digit        the picture, the 28×28 image the network sees, and its p_c
digit_upload          a widget: upload a photo or drawing of one digit
digit_canvas          a widget: draw one with the mouse (needs the optional ipycanvas)
Sketch                a drawing made by code (what the canvas draws, for tests and the notebook)
make_synthetic_photo  a fake phone photo of an MNIST digit; image_bytes encodes it as a file
"""

import io
import warnings
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..data import flatten_and_scale
from ..errors import DataError
from ..images import prepare_own_digit
from ..plots import COLORS
from ..training import predict_proba

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
