"""Notebook 07 (the MNIST hands-on): made-up photos for the "your own digit" section.

The own-digit path itself (preprocessing, the honest answer, the canvas and upload widgets)
lives in course_utils.own_digit and course_utils.draw.

make_synthetic_photo  a fake phone photo of an MNIST digit: dark ink on uneven light paper
image_bytes           a PIL image encoded as the bytes of a file, as an upload delivers them
"""

import io

import numpy as np
from PIL import Image, ImageFilter


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
