"""Image files for the hands-on: folders of digit images, and your own digit photo.

load_image_folder("trainingSet")  reads a folder-per-label tree such as Kaggle's
    "MNIST as JPG" download (trainingSet/trainingSet/<digit>/img_N.jpg) or data/mnist-images/.
prepare_own_digit("my_seven.jpg")  turns a photo or drawing of one digit into a 28x28
    MNIST-style image (white digit on black, centred), ready for flatten_and_scale().
"""

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError
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
    """

    images: np.ndarray
    labels: np.ndarray
    class_names: list
    paths: list
    skipped: list

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
    Raises whatever Pillow raises when the file is not a readable image.
    """
    notes = []
    with Image.open(path) as image:
        image.load()  # read the whole file now, so a cut-off file fails here
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
    max_per_class: read at most this many files per class (for a quick start).
    Files Pillow cannot read (corrupt, text, ...) are skipped and listed in .skipped;
    images of another size or mode are converted, and a note says how many.
    Returns ImageFolder(images, labels, class_names, paths, skipped).
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
    jobs = []  # (path, label index)
    for label, folder in enumerate(class_folders):
        files = list_files(folder)[:max_per_class]
        jobs.extend((path, label) for path in files)

    images, labels, paths, skipped, notes = [], [], [], [], {}
    for path, label in tqdm(jobs, desc="reading images", disable=not verbose, leave=False):
        try:
            array, changes = read_image(path, size, mode)
        except Exception as err:  # any file Pillow cannot read is skipped, never a crash
            skipped.append((path, f"{type(err).__name__}: {err}"))
            continue
        images.append(array)
        labels.append(label)
        paths.append(path)
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
    )
    if verbose:
        print(describe(result, notes))
    return result


def describe(result, notes):
    """The summary load_image_folder() prints: counts, conversions, skipped files."""
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
    return "\n".join(lines)


# ---------------------------------------------------------------- your own digit


def open_any_image(source):
    """Open a path, bytes (e.g. from an upload widget), PIL image or NumPy array as a PIL image."""
    if isinstance(source, Image.Image):
        return source
    if isinstance(source, np.ndarray):
        if source.ndim not in (2, 3) or (source.ndim == 3 and source.shape[2] not in (1, 3, 4)):
            raise DataError(
                "Expected an image array of shape (height, width) or (height, width, 1, 3 or 4), "
                f"got shape {source.shape}."
            )
        if source.dtype.kind == "f" and source.max() <= 1:
            source = source * 255  # floats in [0, 1] -> 0..255
        return Image.fromarray(np.clip(source, 0, 255).astype(np.uint8).squeeze())
    uploaded = isinstance(source, (bytes, bytearray, memoryview))  # ipywidgets give memoryview
    name = "the uploaded data" if uploaded else str(source)
    opened = io.BytesIO(bytes(source)) if uploaded else source
    try:
        image = Image.open(opened)
        image.draft("L", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode big photos at reduced size
        image.load()
    except FileNotFoundError:
        raise DataError(f"There is no file {name}. Check the path.") from None
    except Exception as err:  # Pillow raises many kinds of errors for non-images
        reason = (
            "not an image format Pillow knows"
            if isinstance(err, UnidentifiedImageError)
            else f"{type(err).__name__}: {err}"
        )
        raise DataError(
            f"Could not read {name} as an image ({reason}). "
            "Expected a photo or drawing of one digit as a PNG or JPG file."
        ) from None
    return image


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


def paper_level(gray, window=0.25):
    """The paper's brightness around every pixel, for dark ink: float (height, width) like `gray`.

    Light falls unevenly on a photographed page, so one paper level for the whole picture
    would count a shadow as ink. Instead we take, around each pixel, the brightest value in
    a window `window` times the picture's longer side, much wider than a pen stroke, so
    the window always reaches some paper. For speed this runs on a copy at most 64 pixels
    wide (Pillow's MaxFilter), which is then smoothed and scaled back up.
    """
    small = as_image(gray)
    small.thumbnail((64, 64), Image.Resampling.BOX)  # BOX: plain averages, no overshoot
    size = 2 * round(window * max(small.size) / 2) + 1  # the filter needs an odd size
    paper = small.filter(ImageFilter.MaxFilter(size)).filter(ImageFilter.BoxBlur(size // 2))
    paper = paper.resize(gray.shape[::-1], Image.Resampling.BILINEAR)
    return np.asarray(paper, dtype=np.float64)


def as_image(gray):
    """A grayscale float array (height, width) in [0, 255] as a PIL image of mode "L"."""
    return Image.fromarray(np.uint8(np.clip(np.round(gray), 0, 255)))


def ink_map(gray, invert="auto"):
    """Turn grayscale (height, width) into float ink: 0 for background, up to 1 for the strongest.

    invert="auto": the border of the picture is taken to be paper; if the ink is darker than
    the paper, the picture is inverted (MNIST digits are white on black). The ink is how much
    darker each pixel is than the paper around it (paper_level), so a shadow is not ink.
    A slight blur first tones down camera noise and thin lines of the paper; faint ink below
    25% of the strongest becomes 0.
    """
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    paper = np.median(border)
    if invert == "auto":
        invert = paper - gray.min() > gray.max() - paper  # more contrast below than above
    if not invert:  # light ink on a dark background: flip it, so that the ink is dark
        gray = 255 - gray
    smooth = np.asarray(as_image(gray).filter(ImageFilter.GaussianBlur(1)), dtype=np.float64)
    ink = np.clip(paper_level(gray) - smooth, 0, None)
    if ink.max() < 20:
        raise DataError(
            "Found no digit in the image: it is (nearly) all one colour. Expected a dark digit "
            "on light paper or a light digit on a dark background; use a thicker pen or more light."
        )
    ink = ink / ink.max()
    ink[ink < 0.25] = 0
    return ink


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


def prepare_own_digit(source, invert="auto", return_steps=False):
    """Turn a photo or drawing of one digit into an MNIST-style image.

    source: a file path, the bytes of an uploaded file, a PIL image or an array.
    invert: "auto" (ink darker than the border? then invert), True (dark ink) or False.
    Steps, as MNIST was made: grayscale -> ink (white on black) -> crop to the ink ->
    scale into a 20x20 box -> centre by centre of mass in 28x28.
    Returns uint8 (28, 28) like load_mnist()'s images (use flatten_and_scale(digit[None])),
    and with return_steps=True also a dict of the intermediate arrays, for plotting.
    Raises DataError with a hint if the file is not an image or has no visible digit.
    """
    gray = to_grayscale(open_any_image(source))
    ink = ink_map(gray, invert)
    cropped = crop_to_ink(ink)
    boxed = fit_in_box(cropped)
    centred = centre_by_mass(boxed)
    digit = np.round(centred * 255).astype(np.uint8)
    if not return_steps:
        return digit
    steps = {"grayscale": gray, "ink": ink, "cropped": cropped, "20x20": boxed, "28x28": digit}
    return digit, steps
