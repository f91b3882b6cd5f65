"""Synthetic phone photos of MNIST digits, for testing the own-digit preprocessing.

A learner photographs a digit written on paper; the photo also holds whatever was around
it. `synthetic_photo(digit, condition, seed)` draws an MNIST digit large in dark pen on
noisy paper and adds one everyday condition (CONDITIONS), then passes the picture through
JPEG as a phone would. Every photo is made from its seed alone, so a test set is
reproducible: `photo_set(digits, labels, condition)`.

Used by tests/test_images_photos.py and scripts/benchmark_own_digit.py; nothing is
written to disk.
"""

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = (800, 600)  # width, height: a phone photo after the usual "medium" downscale

# name -> (what it shows, is it a control that already worked before issue 15)
CONDITIONS = {
    "desk strip 5 %": ("a dark desk strip at one edge, 5 % of the width", False),
    "desk strip 10 %": ("a dark desk strip at one edge, 10 % of the width", False),
    "desk corner": ("a desk corner in the picture", False),
    "sheet on desk": ("the sheet lying on a desk, small margins all round", False),
    "shadow 30 %": ("a sharp shadow edge across the sheet, 30 % darker", False),
    "shadow 45 %": ("a sharp shadow edge across the sheet, 45 % darker", False),
    "soft shadow 45 %": ("the 45 % shadow with a soft 120-px edge (at 800 px wide)", False),
    "gradual shadow": ("control: light falls off by 40 % across the picture", True),
    "squared paper": ("control: a pale blue 5-mm grid on the paper", True),
    "small digit": ("control: a small digit in a large frame", True),
}


def render_ink(digit, height, angle):
    """An MNIST digit (uint8 28x28, white on black) as pen ink: float alpha (height, height)."""
    big = Image.fromarray(np.asarray(digit, dtype=np.uint8)).resize(
        (height, height), Image.Resampling.BICUBIC
    )
    big = big.rotate(angle, Image.Resampling.BICUBIC)
    alpha = np.asarray(big, dtype=np.float64) / 255
    return np.clip((alpha - 0.25) / 0.35, 0, 1)  # crisper edges, like a felt pen


def smooth_noise(rng, n, width):
    """1-D noise smoothed over about `width` samples, scaled to unit standard deviation."""
    kernel = np.hanning(max(3, int(width)))
    noise = np.convolve(rng.normal(size=n + len(kernel)), kernel / kernel.sum(), mode="same")
    noise = noise[len(kernel) // 2 : len(kernel) // 2 + n]
    return (noise - noise.mean()) / (noise.std() + 1e-9)


def desk_texture(rng, width, height):
    """A wooden or grey desk: float RGB (height, width, 3), darker than paper, with grain."""
    tone = rng.uniform(55, 140)
    colour = np.array([1.15, 0.95, 0.75]) if rng.random() < 0.6 else np.array([1.0, 1.0, 1.02])
    grain = smooth_noise(rng, height, 4)[:, None] * 0.6 + smooth_noise(rng, height, 25)[:, None]
    if rng.random() < 0.5:  # grain along the other direction
        grain = smooth_noise(rng, width, 4)[None, :] * 0.6 + smooth_noise(rng, width, 25)[None, :]
    shade = tone * (1 + 0.09 * grain) + rng.normal(0, 5, (height, width))
    return shade[..., None] * colour


def polygon_mask(size, points):
    """A float mask (height, width): 1 inside the polygon, 0 outside, slightly soft edges."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon([tuple(map(float, p)) for p in points], fill=255)
    return np.asarray(mask.filter(ImageFilter.GaussianBlur(0.8)), dtype=np.float64) / 255


def sheet_mask(condition, rng, width, height):
    """Where the sheet of paper is (1) and where the desk shows (0), float (height, width)."""
    full = np.ones((height, width))
    if condition.startswith("desk strip"):
        fraction = 0.05 if "5 %" in condition else 0.10
        strip = fraction * width
        tilt = rng.uniform(-0.03, 0.03) * width  # the sheet's edge is never quite straight
        side = rng.choice(["left", "right", "top", "bottom"])
        if side == "left":
            points = [(strip + tilt, 0), (width, 0), (width, height), (strip - tilt, height)]
        elif side == "right":
            points = [
                (0, 0),
                (width - strip + tilt, 0),
                (width - strip - tilt, height),
                (0, height),
            ]
        elif side == "top":
            points = [(0, strip + tilt), (width, strip - tilt), (width, height), (0, height)]
        else:
            points = [
                (0, 0),
                (width, 0),
                (width, height - strip - tilt),
                (0, height - strip + tilt),
            ]
        return polygon_mask((width, height), points)
    if condition == "desk corner":
        dx, dy = rng.uniform(0.15, 0.25) * width, rng.uniform(0.2, 0.35) * height
        corner = rng.integers(4)
        cut = [(dx, 0), (0, dy), (-1, -1)]  # the triangle cut off the top-left corner
        mask = 1 - polygon_mask((width, height), cut)
        return np.rot90(mask, 2) if corner == 1 else (mask[:, ::-1] if corner == 2 else mask)
    if condition == "sheet on desk":
        left, right = rng.uniform(0.03, 0.08, 2) * width
        top, bottom = rng.uniform(0.03, 0.08, 2) * height
        turn = np.deg2rad(rng.uniform(-2.5, 2.5))
        corners = np.array(
            [
                [left, top],
                [width - right, top],
                [width - right, height - bottom],
                [left, height - bottom],
            ]
        )
        centre = corners.mean(axis=0)
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        return polygon_mask((width, height), (corners - centre) @ rotation.T + centre)
    return full


def lighting(condition, rng, width, height):
    """How much light falls on each pixel (1 = full light), float (height, width)."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    light = 1 - 0.04 * rng.random() * (xx / width) - 0.03 * (yy / height)
    if "shadow" in condition and condition != "gradual shadow":
        darker = 0.30 if "30 %" in condition else 0.45
        edge = 120 * width / SIZE[0] if condition.startswith("soft") else 2.5  # 120 px at 800
        angle = rng.uniform(0, np.pi)
        point = rng.uniform(0.3, 0.7, 2) * (width, height)
        distance = (xx - point[0]) * np.cos(angle) + (yy - point[1]) * np.sin(angle)
        inside = np.clip(0.5 + distance / edge, 0, 1)  # 0 in the light, 1 in the shadow
        light *= 1 - darker * inside
    elif condition == "gradual shadow":
        angle = rng.uniform(0, 2 * np.pi)
        along = (xx / width - 0.5) * np.cos(angle) + (yy / height - 0.5) * np.sin(angle)
        light *= 1 - 0.4 * np.clip(along + 0.5, 0, 1)
    return light


def synthetic_photo(digit, condition, seed, size=SIZE):
    """A phone photo of `digit` (uint8 28x28 MNIST) under `condition`: a PIL RGB image."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; expected one of {list(CONDITIONS)}")
    rng = np.random.default_rng(seed)
    width, height = size
    sheet = sheet_mask(condition, rng, width, height)
    fraction = rng.uniform(0.10, 0.14) if condition == "small digit" else rng.uniform(0.4, 0.6)
    side = int(fraction * height)
    ink = render_ink(digit, side, rng.uniform(-8, 8))
    for _ in range(100):  # keep the digit on the sheet, a little away from its edge
        if condition == "small digit":
            left, top = rng.integers(0, width - side), rng.integers(0, height - side)
        else:
            left = int(rng.uniform(0.3, 0.7) * width - side / 2)
            top = int(rng.uniform(0.35, 0.65) * height - side / 2)
        around = sheet[max(0, top - 15) : top + side + 15, max(0, left - 15) : left + side + 15]
        if around.min() > 0.99:
            break
    alpha = np.zeros((height, width))
    alpha[top : top + side, left : left + side] = ink

    paper = np.array([236.0, 232.0, 220.0]) + rng.uniform(-12, 8)
    page = np.broadcast_to(paper, (height, width, 3)).copy()
    if condition == "squared paper":
        step = int(rng.integers(30, 40))
        offset = rng.integers(0, step, 2)
        lines = np.zeros((height, width), bool)
        lines[offset[1] :: step] = True
        lines[:, offset[0] :: step] = True
        page[lines] = [175.0, 195.0, 228.0]
    if sheet.min() < 1:  # a desk shows: lay the sheet on it, with a thin darker rim
        rim = (
            sheet
            - np.asarray(
                Image.fromarray(np.uint8(sheet * 255)).filter(ImageFilter.MinFilter(5)), dtype=float
            )
            / 255
        )
        page *= (1 - 0.12 * np.clip(rim, 0, 1))[..., None]
        desk = desk_texture(rng, width, height)
        page = sheet[..., None] * page + (1 - sheet[..., None]) * desk
    scene = page
    pen = np.array([30.0, 35.0, 60.0]) + rng.uniform(0, 30)
    scene = (1 - 0.95 * alpha[..., None]) * scene + 0.95 * alpha[..., None] * pen
    scene *= lighting(condition, rng, width, height)[..., None]
    scene += rng.normal(0, 3, scene.shape)
    photo = Image.fromarray(np.uint8(np.clip(np.round(scene), 0, 255)), "RGB")
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=85)  # as a phone stores it
    return Image.open(io.BytesIO(buffer.getvalue()))


def photo_set(digits, labels, condition, count=30, seed=0, size=SIZE):
    """`count` photos of the first `count` digits under `condition`: yields (label, image)."""
    base = list(CONDITIONS).index(condition) * 1000 + seed * 100_000
    for k in range(count):
        yield int(labels[k]), synthetic_photo(digits[k], condition, base + k, size)


def pick_digits(images, labels, predicted, per_class=3, seed=0):
    """`per_class` digits of each class that the model reads right as plain 28x28 images.

    Returns (digits, labels), shuffled with `seed`: the photos then test the preprocessing,
    not the model's mistakes on the digits themselves.
    """
    rng = np.random.default_rng(seed)
    right = np.flatnonzero(predicted == labels)
    chosen = np.concatenate(
        [rng.choice(right[labels[right] == c], per_class, replace=False) for c in range(10)]
    )
    rng.shuffle(chosen)
    return images[chosen], labels[chosen]
