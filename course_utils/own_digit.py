"""Your own digit: turn a photo or drawing into the 28x28 MNIST-style image the network reads.

prepare_own_digit("my_seven.jpg") does what MNIST's makers did to each scanned digit, after
what a phone photo needs first:

1. grayscale, so that the ink is dark on light paper (a light-on-dark picture is flipped);
2. the paper's brightness around every pixel: a shadow or the desk is not ink;
3. ink = how much darker than the paper a pixel is (0 = paper, 1 = the darkest ink);
4. the digit = the marks of pen-stroke size that belong together; a mark that touches the
   picture's border (a desk, the sheet's edge) or a second digit is left out or refused;
5. strokes thinner than MNIST's pen (a ballpoint, a fineliner) are widened to its width;
6. crop to the digit, scale into a 20x20 box, centre by centre of mass in 28x28.

A picture with no single digit in it is refused with a DataError saying what was found.
read_own_digit(model, picture) then asks the network and answers honestly ("not sure:
4 or 9?" when its top probability is below 0.5); show_own_digit(result) shows the picture,
the 28x28 image the network saw and its probabilities side by side.
Connected marks are found with scipy.ndimage (label, find_objects), its grey closing gives
the paper's brightness.
"""

import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image, ImageOps
from scipy import ndimage

from course_utils.errors import DataError
from course_utils.images import big_enough, open_any_image
from course_utils.plots import COLORS
from course_utils.training import predict_proba

MAX_SIDE = 1024  # big photos are shrunk to at most this many pixels per side first
STRONG, WEAK = 0.5, 0.25  # ink levels (of the darkest ink) a mark must reach and may spread to
MNIST_PEN = 0.12  # MNIST's strokes are about 12 % as wide as the digit's longer side
PHOTO_SIDE = 640  # pictures this large are photos: thin printed lines are not the pen


def to_grayscale(image):
    """A float array (height, width) in [0, 255]; transparency is laid over a contrasting colour.

    A PNG drawn with ink on a transparent background keeps its ink only in the alpha channel,
    so we choose the background colour that contrasts with the ink's colour.
    """
    image = ImageOps.exif_transpose(image)  # phone photos: turn them the right way up
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float64)
        gray = rgba[..., :3].mean(axis=2)
        alpha = rgba[..., 3] / 255
        if alpha.min() < 1:
            opaque = alpha > 0.5
            ink_is_dark = np.median(gray[opaque]) < 128 if opaque.any() else True
            background = 255.0 if ink_is_dark else 0.0
            return alpha * gray + (1 - alpha) * background
        return gray
    return np.asarray(image.convert("L"), dtype=np.float64)


def dark_ink(gray, invert="auto"):
    """The picture with dark ink on light paper: flipped if the ink is lighter than the paper.

    invert="auto": the paper covers most of a picture, so the median brightness is the
    paper's, and the ink lies on the side of it with more contrast. Light ink on a dark
    background (like MNIST) is when, in addition, most of the picture is near its darkest
    value: so a dark shadow over half the page does not flip the answer. True: dark ink;
    False: light ink.
    """
    if invert == "auto":
        smooth = ndimage.gaussian_filter(gray, 1.0)  # single noisy pixels are not ink
        darkest, low, median, brightest = np.percentile(smooth, [0, 1, 50, 100])
        more_contrast_above = brightest - median > median - darkest
        mostly_dark = median < low + 0.25 * (brightest - low)
        invert = not (more_contrast_above and mostly_dark)
    return gray if invert else 255 - gray


def paper_level(gray, scale=0.25):
    """The paper's brightness around every pixel: float (height, width) like `gray` (dark ink).

    A grey-scale closing: the brightest value in a window `scale` times the picture's longer
    side (much wider than a pen stroke), then the darkest of those in the same window. A pen
    stroke is narrower than the window, so it is filled with the paper around it; a shadow or
    the desk is wider, so it stays, edges and all, and is paper, not ink. Beyond its border
    the picture is taken to go on as it is at the border, so even a narrow strip of desk
    along one side is wider than any window: it stays too. (So does a pen stroke that runs
    along the border for longer than the window: keep the digit off the edge.)
    """
    size = 2 * round(scale * max(gray.shape) / 2) + 1  # odd: the window has a centre pixel
    padded = np.pad(gray, size, mode="edge")  # the picture goes on as it is at its border
    closed = ndimage.grey_closing(padded, size=(size, size))
    return closed[size:-size, size:-size]


def ink_map(gray, invert="auto"):
    """Float ink (height, width): 0 on paper, 1 for the darkest ink.

    Ink is how much darker a pixel is than the paper around it (paper_level), as a fraction of
    that paper's brightness, so ink in a shadow counts as much as ink in the light; but never a
    fraction of less than half the brightest paper, so the grain of a dark desk stays faint.
    A slight blur first tones down camera noise. In a photo (PHOTO_SIDE pixels or more), lines
    1-2 pixels wide, like the grid of squared paper, are removed: a pen stroke is wider.
    """
    gray = ndimage.gaussian_filter(dark_ink(gray, invert), 1.0)
    paper = paper_level(gray)
    bright = max(np.percentile(paper, 95), 1.0)
    ink = np.clip(paper - gray, 0, None) / np.maximum(paper, 0.5 * bright)
    if max(ink.shape) >= PHOTO_SIDE:
        ink = ndimage.grey_opening(ink, size=(3, 3))  # keeps only what is 3 pixels wide or more
    if ink.max() < 0.08:
        raise DataError(
            "Found no digit in the image: no mark stands out from the paper around it. Expected "
            "a dark digit on light paper or a light digit on a dark background; use a thicker "
            "pen or more light."
        )
    return ink / ink.max()


def find_digit(ink):
    """Keep only the digit's marks: float ink (height, width) with everything else set to 0.

    A mark is a connected region of ink above WEAK that reaches STRONG somewhere. The digit is
    the heaviest mark that does not touch the picture's border; a mark touching it (the desk,
    the sheet's edge) is taken instead only if nothing else is there (a drawing may touch its
    border) or if it is far heavier and does not span the picture like an edge. Marks within a
    quarter of the digit's size (a 5's flag) are kept with it. Raises DataError if another
    mark, half as heavy as the digit or more, lies apart from it (a second digit).
    """
    labels, count = ndimage.label(ink > WEAK)
    mass = ndimage.sum(ink, labels, np.arange(1, count + 1))
    boxes = ndimage.find_objects(labels)
    height, width = ink.shape
    strong = np.unique(labels[ink >= STRONG])  # the marks that reach STRONG somewhere
    marks = [(mass[label - 1], boxes[label - 1], label) for label in strong if label > 0]
    if not marks:
        raise DataError("Found no digit in the image: no mark is dark enough.")

    def touches_border(box):
        rows, cols = box
        return rows.start == 0 or cols.start == 0 or rows.stop == height or cols.stop == width

    inside = [m for m in marks if not touches_border(m[1])]
    heaviest = max(marks, key=lambda m: m[0])
    main = max(inside, key=lambda m: m[0]) if inside else heaviest
    if inside and main[0] < 0.2 * heaviest[0] and not looks_like_an_edge(heaviest[1], ink.shape):
        main = heaviest
    if touches_border(main[1]):
        not_strokes(labels[main[1]] == main[2], main[1], ink.shape)
    rows, cols = main[1]
    reach = 0.25 * max(rows.stop - rows.start, cols.stop - cols.start)
    keep, apart = [main[2]], []
    for weight, (r, c), label in marks:
        if label == main[2]:
            continue
        gap_rows = max(rows.start - r.stop, r.start - rows.stop, 0)
        gap_cols = max(cols.start - c.stop, c.start - cols.stop, 0)
        if max(gap_rows, gap_cols) <= reach and not touches_border((r, c)):
            keep.append(label)
        elif weight > 0.5 * main[0] and not touches_border((r, c)):
            apart.append(weight)
    if apart:
        raise DataError(
            f"Found {len(apart) + 1} separate marks of about the same size, expected one digit. "
            "Crop the picture to one digit, or photograph it on a clean sheet."
        )
    return np.where(np.isin(labels, keep), ink, 0.0)


def not_strokes(mark, box, shape):
    """Refuse a mark at the picture's edge that is no pen stroke: a patch (a finger, a
    shadow), whose width is a third of its size or more, or lines across the whole picture
    (the ruling of an empty sheet). mark: boolean, the mark within its box."""
    rows, cols = box
    size = max(rows.stop - rows.start, cols.stop - cols.start)
    across = rows.stop - rows.start > 0.95 * shape[0] and cols.stop - cols.start > 0.95 * shape[1]
    if stroke_width(mark) > 0.3 * size or across:
        what = "lines across the whole picture" if across else "a dark patch, not pen strokes"
        raise DataError(
            f"Found no digit in the image: the only mark touches the picture's edge and is "
            f"{what} (a finger, a shadow, the paper's ruling?). Photograph the digit with "
            "some paper around it."
        )


def looks_like_an_edge(box, shape):
    """Does a mark's box span most of the picture's width or height (a desk or sheet edge)?"""
    rows, cols = box
    return rows.stop - rows.start > 0.8 * shape[0] or cols.stop - cols.start > 0.8 * shape[1]


def shown_picture(picture, shape):
    """The picture as the learner sees it (colours kept), at the grayscale step's size."""
    picture = ImageOps.exif_transpose(picture)
    mode = "RGBA" if picture.mode in ("RGBA", "LA", "PA") else "RGB"
    return picture.convert(mode).resize(shape[::-1])


def stroke_width(strokes):
    """The mean width in pixels of the strokes of a boolean mask (height, width).

    A stroke of width w and length L covers w·L pixels and has about 2L pixels on its
    outline, so w ≈ 2 · area / outline."""
    outline = strokes & ~ndimage.binary_erosion(strokes)
    return 2 * strokes.sum() / max(outline.sum(), 1)


def thicken(ink, pen=MNIST_PEN):
    """Widen strokes thinner than MNIST's pen to its width; leave thicker ones as they are.

    ink: float (height, width), the digit's marks. Shrunk into 20x20 pixels, a ballpoint's
    stroke would become a faint line a third of a pixel wide, which the network, trained on
    MNIST's felt-tip strokes, hardly sees. Returns float ink, 1 on the widened strokes."""
    strokes = ink > 0.35 * ink.max()
    rows, cols = np.flatnonzero(strokes.any(axis=1)), np.flatnonzero(strokes.any(axis=0))
    wanted = pen * max(rows[-1] - rows[0], cols[-1] - cols[0])
    width = stroke_width(strokes)
    if width >= 0.75 * wanted:  # as wide as MNIST's pen, near enough: left as it is
        return ink
    grow = (wanted - width) / 2  # pixels to add on each side of a stroke
    distance = ndimage.distance_transform_edt(~strokes)  # to the nearest stroke pixel
    band = np.clip(grow + 0.5 - distance, 0, 1)  # 1 within `grow` pixels, a 1-pixel soft edge
    return np.maximum(ink / ink.max(), band)


def crop_to_ink(ink):
    """Cut away the empty rows and columns around the ink."""
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def fit_in_box(ink, box=20):
    """Scale so the longer side is `box` pixels, keeping the aspect ratio (as MNIST did)."""
    height, width = ink.shape
    scale = box / max(height, width)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = Image.fromarray((ink * 255).astype(np.uint8))
    return np.asarray(image.resize(new_size, Image.Resampling.LANCZOS), dtype=np.float64) / 255


def centre_by_mass(patch, size=28):
    """Place `patch` in a size x size field so that its centre of mass is in the middle."""
    rows, cols = np.indices(patch.shape)
    total = patch.sum()
    centre_row = (rows * patch).sum() / total
    centre_col = (cols * patch).sum() / total
    middle = (size - 1) / 2  # 13.5 for 28 pixels
    top = int(np.clip(round(middle - centre_row), 0, size - patch.shape[0]))
    left = int(np.clip(round(middle - centre_col), 0, size - patch.shape[1]))
    field = np.zeros((size, size))
    field[top : top + patch.shape[0], left : left + patch.shape[1]] = patch
    return field


def prepare_own_digit(source, invert="auto", return_steps=False, name=None):
    """Turn a photo or drawing of one digit into an MNIST-style image.

    source: a file path, the bytes of an uploaded file, a PIL image or an array.
    invert: "auto" (ink darker than the paper? then invert), True (dark ink) or False.
    Steps: grayscale -> ink (white on black, shadows and desk removed) -> the digit's marks
    -> crop -> scale into a 20x20 box -> centre by centre of mass in 28x28.
    Returns uint8 (28, 28) like load_mnist()'s images (use flatten_and_scale(digit[None])),
    and with return_steps=True also a dict of the intermediate arrays, for plotting.
    Raises DataError with a hint if the file is not an image or has no single visible digit;
    `name` is what the message calls the picture (default: its path, or "the uploaded data").
    """
    picture = open_any_image(source, name)
    big_enough(*picture.size, name or "your image")
    gray = to_grayscale(picture)
    ink = ink_map(gray, invert)
    digit_ink = find_digit(ink)
    rows = np.flatnonzero(digit_ink.any(axis=1))
    cols = np.flatnonzero(digit_ink.any(axis=0))
    widened = thicken(digit_ink)
    cropped = crop_to_ink(widened)
    boxed = fit_in_box(cropped)
    centred = centre_by_mass(boxed)
    digit = np.round(centred * 255).astype(np.uint8)
    if not return_steps:
        return digit
    steps = {
        "picture": np.asarray(shown_picture(picture, gray.shape)),
        "grayscale": gray,
        "ink": ink,
        "digit": digit_ink,
        "widened": widened,
        "cropped": cropped,
        "20x20": boxed,
        "28x28": digit,
        "box": (rows[0], rows[-1] + 1, cols[0], cols[-1] + 1),  # the digit in "grayscale"
    }
    return digit, steps


# ---------------------------------------------------------------- asking the network

SURE = 0.5  # below this top probability the answer says "not sure"


@dataclass
class OwnDigit:
    """The network's answer for one picture: the 28x28 digit, the steps and p_c (shape (10,))."""

    name: str
    digit: np.ndarray
    steps: dict
    probabilities: np.ndarray

    @property
    def prediction(self):
        return int(np.argmax(self.probabilities))

    @property
    def top3(self):
        """The three most likely digits, most likely first: [(digit, p), ...]."""
        order = np.argsort(-self.probabilities, kind="stable")[:3]
        return [(int(c), float(self.probabilities[c])) for c in order]

    @property
    def sure(self):
        return self.probabilities.max() >= SURE

    def message(self):
        """One honest sentence: the answer, or "not sure: 4 or 9?" when p is below SURE."""
        (first, p1), (second, p2), (third, p3) = self.top3
        if self.sure:
            return (
                f"{self.name}: the network reads {a_digit(first)} (p = {p1:.0%}); "
                f"next: {second} ({p2:.0%}), {third} ({p3:.0%})."
            )
        return (
            f"{self.name}: the network is not sure: {first} or {second}? "
            f"(p = {p1:.0%} and {p2:.0%}; then {third}: {p3:.0%}). "
            "Look at the 28x28 image it saw: is that your digit?"
        )


def a_digit(digit):
    """ "a 7", but "an 8": the article for a digit's name."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def read_own_digit(model, source, name=None, invert="auto"):
    """Prepare a photo or drawing MNIST-style and ask `model` what digit it is.

    source: a path, the bytes of an uploaded file, a PIL image or an array.
    name: what the answer calls the picture (default: its path, else "your image").
    Returns (OwnDigit, message) or, if the picture cannot be used, (None, message saying
    what to change); never raises for a bad picture.
    """
    if name is None:
        name = str(source) if isinstance(source, str | os.PathLike) else "your image"
    try:
        digit, steps = prepare_own_digit(source, invert=invert, return_steps=True, name=name)
    except DataError as err:
        return None, f"Could not use {name}: {err}"
    probabilities = predict_proba(model, (digit.reshape(1, -1) / 255).astype(np.float32))[0]
    result = OwnDigit(name, digit, steps, probabilities)
    return result, result.message()


def show_own_digit(result, title=None):
    """Three panels: the picture (the digit's box marked), the 28x28 digit the network saw, p_c.

    Returns the matplotlib figure.
    """
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), gridspec_kw={"width_ratios": [1, 1, 1.6]})
    axes[0].imshow(
        result.steps["picture"], cmap="gray" if result.steps["picture"].ndim == 2 else None
    )
    top, bottom, left, right = result.steps["box"]
    axes[0].add_patch(
        plt.Rectangle((left, top), right - left, bottom - top, fill=False, color=COLORS[3], lw=2)
    )
    axes[0].set_title("your picture (box: the digit found)")
    axes[1].imshow(result.digit, cmap="gray_r", vmin=0, vmax=255)
    axes[1].set_title("what the network saw (28×28)")
    for ax in axes[:2]:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    colors = [COLORS[3] if c == result.prediction else COLORS[0] for c in range(10)]
    axes[2].bar(range(10), result.probabilities, color=colors)
    axes[2].axhline(SURE, color="0.5", lw=1, ls="--")
    (first, p1), (second, _), _ = result.top3
    verdict = (
        f"reads {a_digit(first)} ({p1:.0%})" if result.sure else f"not sure: {first} or {second}?"
    )
    axes[2].set(xticks=range(10), ylim=(0, 1), xlabel="digit c", ylabel="$p_c$", title=verdict)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
