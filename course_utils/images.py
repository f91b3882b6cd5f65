"""Image files for the hands-on: folders of digit images, and opening any one picture.

load_image_folder("trainingSet")  reads a folder-per-label tree such as Kaggle's
    "MNIST as JPG" download (trainingSet/trainingSet/<digit>/img_N.jpg) or data/mnist-images/.
open_any_image(source)  opens a path, uploaded bytes, a PIL image or an array as a picture.
Both scale 16-bit images to 8 bits and explain a file too large for Pillow.
Your own digit (photo -> 28x28 MNIST-style image) is in course_utils.own_digit.
"""

import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from tqdm.auto import tqdm

from course_utils.errors import DataError

MAX_SIDE = 1024  # big photos are shrunk to at most this many pixels per side first
IGNORED_NAMES = {"__MACOSX", "Thumbs.db", "desktop.ini"}

# ---------------------------------------------------------------- folders of images


@dataclass
class ImageFolder:
    """What load_image_folder() read.

    images: uint8, shape (N, height, width) for mode "L" or (N, height, width, 3) for "RGB".
    labels: int64, shape (N,), the index of each image's class in class_names.
    class_names: the folder names, e.g. ["0", "1", ..., "9"]; paths: one per image.
    skipped: (path, reason) for every file that could not be read.
    warnings: sentences about the folder tree (ignored sub-folders, non-digit classes).
    """

    images: np.ndarray
    labels: np.ndarray
    class_names: list
    paths: list
    skipped: list
    warnings: list = field(default_factory=list)

    def __repr__(self):
        return (
            f"ImageFolder(images={self.images.shape}, classes={self.class_names}, "
            f"skipped={len(self.skipped)})"
        )


def find_class_root(root):
    """Go down through folders that only wrap one other folder of class folders.

    Kaggle's zip unpacks to trainingSet/trainingSet/0..9: given either level, return the one
    whose sub-folders are the classes.
    """
    root = Path(root)
    while True:
        subfolders = list_subfolders(root)
        if len(subfolders) == 1 and list_subfolders(subfolders[0]):
            root = subfolders[0]
        else:
            return root


def list_subfolders(folder):
    """The visible sub-folders of `folder`, sorted (numbers by value: "2" before "10")."""
    names = [
        p.name
        for p in Path(folder).iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in IGNORED_NAMES
    ]
    if all(name.isdigit() for name in names):
        names.sort(key=int)
    else:
        names.sort()
    return [Path(folder) / name for name in names]


def list_files(folder):
    """The visible files in `folder`, sorted by name."""
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name not in IGNORED_NAMES
    )


def read_image(path, size, mode):
    """Open one image file as a uint8 array of the given size (width, height) and mode.

    Returns (array, notes); notes lists the conversions made, e.g. ["mode RGB -> L"].
    Raises DataError for a file that is too large, and whatever Pillow raises when the file
    is not a readable image.
    """
    notes = []
    with open_image_file(path, str(path)) as image:
        image.load()  # read the whole file now, so a cut-off file fails here
        image, depth_note = to_8_bit(image)
        notes += [depth_note] if depth_note else []
        if image.mode != mode:
            notes.append(f"mode {image.mode} -> {mode}")
            image = image.convert(mode)
        if image.size != tuple(size):
            notes.append(f"size {image.size[0]}x{image.size[1]} -> {size[0]}x{size[1]}")
            image = image.resize(size, Image.Resampling.LANCZOS)
        return np.asarray(image, dtype=np.uint8), notes


def load_image_folder(root, size=(28, 28), mode="L", max_per_class=None, verbose=True):
    """Read a folder-per-label tree of images: <root>/<label>/*.jpg|png|...

    size: (width, height) every image is resized to; mode: "L" (grayscale) or "RGB".
    max_per_class: read at most this many images per class (for a quick start); files that
    cannot be read do not count.
    Files Pillow cannot read (corrupt, text, ...) are skipped and listed in .skipped;
    images of another size, mode or bit depth are converted, and a note says how many.
    Sub-folders inside a class folder are not read, and a non-digit folder beside digit
    folders becomes a class: both are reported (.warnings), even with verbose=False.
    Returns ImageFolder(images, labels, class_names, paths, skipped, warnings).
    """
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root} is not a folder. Expected a folder with one sub-folder per class.")
    class_folders = list_subfolders(find_class_root(root))
    if not class_folders:
        raise DataError(
            f"{root} has no sub-folders. Expected one sub-folder per class, named by its "
            "label, e.g. root/0/img_1.jpg, root/1/img_2.jpg, ..."
        )
    files = [list_files(folder) for folder in class_folders]
    total = sum(len(f) if max_per_class is None else min(len(f), max_per_class) for f in files)
    images, labels, paths, skipped, notes = [], [], [], [], {}
    with tqdm(total=total, desc="reading images", disable=not verbose, leave=False) as bar:
        for label, class_files in enumerate(files):
            read = 0
            for path in class_files:
                if max_per_class is not None and read >= max_per_class:
                    break
                try:
                    array, changes = read_image(path, size, mode)
                except Exception as err:  # any file Pillow cannot read is skipped, never a crash
                    reason = (
                        str(err) if isinstance(err, DataError) else f"{type(err).__name__}: {err}"
                    )
                    skipped.append((path, reason))
                    continue
                finally:
                    bar.update(1)
                images.append(array)
                labels.append(label)
                paths.append(path)
                read += 1
                for change in changes:
                    notes[change] = notes.get(change, 0) + 1

    if not images:
        raise DataError(f"No readable images under {root} (skipped {len(skipped)} files).")
    result = ImageFolder(
        images=np.stack(images),
        labels=np.array(labels, dtype=np.int64),
        class_names=[folder.name for folder in class_folders],
        paths=paths,
        skipped=skipped,
        warnings=layout_warnings(class_folders),
    )
    if verbose:
        print(describe(result, notes))
    elif result.warnings:
        print("\n".join(result.warnings))
    return result


def layout_warnings(class_folders):
    """What in the folder tree did not become data as one would expect: a list of sentences."""
    found = []
    nested = [sub for folder in class_folders for sub in list_subfolders(folder)]
    if nested:
        examples = ", ".join(f"{p.parent.name}/{p.name}" for p in nested[:3])
        found.append(
            f"Warning: {len(nested)} folder(s) inside the class folders were not read "
            f"(e.g. {examples}): only the files directly in each class folder count. "
            "Move those images up into their class folder if they belong to it."
        )
    names = [folder.name for folder in class_folders]
    digits = [name for name in names if name.isdigit()]
    others = [name for name in names if not name.isdigit()]
    if digits and others:
        found.append(
            f"Warning: the folder(s) {others} beside the digit folders became classes too "
            f"(class index {', '.join(str(names.index(n)) for n in others)}). Move them out of "
            "the tree if they are not a class of their own."
        )
    return found


def describe(result, notes):
    """The summary load_image_folder() prints: counts, conversions, skipped files, warnings."""
    lines = [
        f"Read {len(result.images)} images in {len(result.class_names)} classes "
        f"{result.class_names}, array shape {result.images.shape}."
    ]
    if len(result.class_names) == 1:
        lines.append(
            "Note: only one class. Expected one sub-folder per label, e.g. root/0, root/1."
        )
    for change, count in notes.items():
        lines.append(f"Note: converted {count} images ({change}).")
    if result.skipped:
        first = ", ".join(path.name for path, _ in result.skipped[:5])
        lines.append(
            f"Skipped {len(result.skipped)} files that are not readable images, e.g. {first} "
            "(see .skipped for the reasons)."
        )
    return "\n".join(lines + result.warnings)


# ---------------------------------------------------------------- opening one image


def open_image_file(opened, name):
    """Image.open with clear errors for a file with more pixels than Pillow's safety limit.

    Pillow refuses (or warns about) images beyond Image.MAX_IMAGE_PIXELS (about 89 megapixels)
    because decoding them could fill the memory; we refuse both with a message that says so.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        limit = Image.MAX_IMAGE_PIXELS
        found = re.search(r"\((\d+) pixels\)", str(err))
        size = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "too many pixels"
        raise DataError(
            f"{name} is too large: {size}, more than Pillow's safety limit of "
            f"{limit / 1e6:.0f} megapixels (PIL.Image.MAX_IMAGE_PIXELS = {limit:,}). "
            "Shrink it first (a phone's 'medium' size, or any image editor, is plenty for a digit)."
        ) from None


def to_8_bit(image):
    """Convert a 16-bit, 32-bit or float grayscale image to 8 bits by scaling, not clipping.

    Pillow's convert("L") clips every value above 255 to 255, which turns a 16-bit PNG into
    pure black and white. Returns (image, note or None).
    """
    if image.mode not in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return image, None
    values = np.asarray(image)
    full_scale = full_scale_of(values, sixteen_bit=image.mode.startswith("I;16"))
    scaled = np.round(np.clip(values.astype(np.float64), 0, None) * (255 / full_scale))
    return Image.fromarray(scaled.astype(np.uint8)), f"bit depth {image.mode} -> 8-bit, scaled"


def full_scale_of(values, sixteen_bit=False):
    """The value that means white: 1 for floats up to 1, 255 for values up to 255, 65535 for
    16-bit integers, else the maximum. (Pillow opens 16-bit PNGs as mode "I;16", or "I".)
    """
    top = float(np.max(values, initial=0))
    floats = np.issubdtype(np.asarray(values).dtype, np.floating)
    if sixteen_bit or (not floats and 255 < top <= 65535):
        return 65535.0
    if floats and top <= 1:
        return 1.0
    if top <= 255:
        return 255.0
    return top


def open_any_image(source, name=None):
    """Open a path, bytes (e.g. from an upload widget), PIL image or NumPy array as a PIL image.

    16-bit images are scaled to 8 bits. Raises DataError if it is not a readable image;
    `name` (e.g. an uploaded file's name) is what the message calls it.
    """
    if isinstance(source, Image.Image):
        return to_8_bit(source)[0]
    if isinstance(source, list | tuple):
        source = np.asarray(source)  # a nested list of numbers, e.g. x_test[0].tolist()
    if isinstance(source, np.ndarray):
        return array_image(source, name or "your array")
    uploaded = isinstance(source, (bytes, bytearray, memoryview))  # ipywidgets give memoryview
    name = name or ("the uploaded data" if uploaded else str(source))
    if uploaded and len(source) == 0:
        raise DataError(f"{name} is empty (0 bytes). Expected a PNG or JPG image of one digit.")
    if not uploaded and re.match(r"(?i)https?://", str(source)):
        raise DataError(
            f"{name} is a web address: download the picture first (save it from the browser) "
            "and give the file's path."
        )
    opened = io.BytesIO(bytes(source)) if uploaded else source
    try:
        image = open_image_file(opened, name)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode big photos at reduced size
        image.load()
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError(f"There is no file {name}. Check the path.") from None
    except IsADirectoryError:
        raise DataError(
            f"{name} is a folder, not an image file: give the path of one picture in it."
        ) from None
    except Exception as err:  # Pillow raises many kinds of errors for non-images
        raise DataError(
            f"Could not read {name} as an image: {why_unreadable(err, source)}"
        ) from None
    return to_8_bit(image)[0]


def why_unreadable(err, source):
    """What a file Pillow cannot read is, from the error and the file's first bytes."""
    if "truncated" in str(err).lower():
        return (
            "the file is cut off, it ends before the picture does (an interrupted download or "
            "upload?). Save or upload it again."
        )
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            start = bytes(source[:64])
        else:
            with open(source, "rb") as file:
                start = file.read(64)
    except (OSError, TypeError):
        start = None
    if start == b"":
        return "the file is empty (0 bytes): save or copy it again."
    start = start or b""
    kinds = [
        (start[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"), "an HEIC photo "
         "(the iPhone's format), which Pillow cannot open: export it as JPG (Photos: Share → "
         "Save as JPEG, or Settings → Camera → Formats → Most Compatible)."),
        (start.startswith(b"%PDF"), "a PDF (from a scanner app?): export the page as PNG or JPG."),
        (b"<svg" in start or start.lstrip().startswith(b"<?xml"), "an SVG drawing: export "
         "it as PNG."),
    ]  # fmt: skip
    for found, sentence in kinds:
        if found:
            return f"it is {sentence}"
    reason = (
        "not an image format Pillow knows"
        if isinstance(err, UnidentifiedImageError)
        else f"{type(err).__name__}: {err}"
    )
    return f"{reason}. Expected a photo or drawing of one digit as a PNG or JPG file."


def big_enough(width, height, name):
    """Raise a DataError for a picture too small to hold a digit."""
    if min(width, height) < 8:
        raise DataError(
            f"{name} is only {width}×{height} pixels (width × height): too small to hold a "
            "digit (MNIST's are 28×28). Expected a picture at least 8 pixels on each side."
        )


def array_image(array, name):
    """An image array (height, width) or (height, width, 1/3/4) as an 8-bit PIL image.

    Floats up to 1 and 16-bit values are scaled to 0..255; anything else is explained."""
    shape = array.shape
    hint = ""
    if array.ndim == 1 and round(array.size**0.5) ** 2 == array.size > 1:
        side = round(array.size**0.5)
        hint = f" A flat row of {array.size} pixels: make it an image, .reshape({side}, {side})."
    elif array.ndim == 3 and shape[0] == 1:
        hint = " A batch of one image: take the image itself, [0] of it."
    if array.ndim not in (2, 3) or (array.ndim == 3 and shape[2] not in (1, 3, 4)):
        raise DataError(
            "Expected an image array of shape (height, width) or (height, width, 1, 3 or 4), "
            f"got shape {shape}.{hint}"
        )
    if array.size == 0:
        raise DataError(f"{name} is empty: shape {shape}, no pixels at all.")
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255  # a mask: True is ink (white), False background
    if array.dtype.kind not in "biuf":
        raise DataError(f"{name} holds {array.dtype} values, expected pixel numbers.")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise DataError(f"{name} contains NaN or infinite values: expected pixel numbers.")
    if array.min() < 0:
        raise DataError(
            f"{name} holds values from {array.min():.3g} to {array.max():.3g}: expected pixels "
            "0..255 (uint8) or 0..1 (floats), as load_mnist gives them; a standardised "
            "image (x - mean) / std must be turned back first."
        )
    scaled = array * (255 / full_scale_of(array))  # floats, 16-bit values -> 0..255
    pixels = np.clip(scaled, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels[..., 0] if pixels.ndim == 3 and shape[2] == 1 else pixels)


def prepare_own_digit(source, invert="auto", return_steps=False):
    """Your own digit as a 28x28 MNIST-style image: see course_utils.own_digit, where it lives."""
    from course_utils.own_digit import prepare_own_digit as prepare  # it imports this module

    return prepare(source, invert=invert, return_steps=return_steps)
