"""Image files the way learners have them: 16-bit PNGs, odd folder trees, unreadable files,
pictures too large for Pillow (course_utils.images, both the folder loader and own digit)."""

import io
import re
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from course_utils import images
from course_utils.errors import DataError
from course_utils.own_digit import prepare_own_digit


def seven(size=200, depth=8):
    """A thick dark 7 on light paper, as 8-bit ("L") or 16-bit ("I;16") pixels."""
    image = Image.new("L", (size, size), 230)
    s = size / 200
    ImageDraw.Draw(image).line([(50 * s, 40 * s), (150 * s, 40 * s), (80 * s, 170 * s)], 30, 16)
    pixels = np.asarray(image)
    if depth == 16:
        return Image.fromarray(pixels.astype(np.uint16) * 257)  # the same picture, 16 bits
    return Image.fromarray(pixels)


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- 16-bit images


def test_a_16_bit_png_is_scaled_not_clipped_in_the_folder_loader(tmp_path):
    folder = tmp_path / "digits" / "3"
    folder.mkdir(parents=True)
    gradient = (np.arange(28 * 28).reshape(28, 28) * 83).astype(np.uint16)  # 0 .. 65,000
    Image.fromarray(gradient).save(folder / "deep.png")
    assert Image.open(folder / "deep.png").mode.startswith("I")  # Pillow reads it as 16-bit
    result = images.load_image_folder(tmp_path / "digits", verbose=False)
    expected = np.round(gradient / 257).astype(np.uint8)
    assert np.abs(result.images[0].astype(int) - expected).max() <= 1
    assert len(np.unique(result.images[0])) > 200  # not a black-and-white clip


def test_the_folder_loader_says_it_converted_the_bit_depth(tmp_path, capsys):
    (tmp_path / "d" / "1").mkdir(parents=True)
    seven(28, depth=16).save(tmp_path / "d" / "1" / "a.png")
    images.load_image_folder(tmp_path / "d")
    assert "bit depth I;16 -> 8-bit, scaled" in capsys.readouterr().out


@pytest.mark.parametrize("as_what", ["file", "bytes", "pil", "array"])
def test_a_16_bit_picture_of_a_digit_reads_like_the_8_bit_one(tmp_path, as_what):
    reference = prepare_own_digit(seven())
    deep = seven(depth=16)
    deep.save(tmp_path / "seven16.png")
    source = {
        "file": tmp_path / "seven16.png",
        "bytes": (tmp_path / "seven16.png").read_bytes(),
        "pil": Image.open(tmp_path / "seven16.png"),
        "array": np.asarray(deep),
    }[as_what]
    np.testing.assert_array_equal(prepare_own_digit(source), reference)


# ---------------------------------------------------------------- folder trees


def make_tree(root, classes, per_class=2):
    for name in classes:
        (root / name).mkdir(parents=True, exist_ok=True)
        for k in range(per_class):
            Image.new("L", (28, 28), 10 * k).save(root / name / f"{k}.png")


def test_images_in_a_sub_folder_of_a_class_are_reported(tmp_path, capsys):
    make_tree(tmp_path, ["0", "1", "2"])
    make_tree(tmp_path / "1", ["more"], per_class=3)  # 1/more/*.png: not read
    result = images.load_image_folder(tmp_path, verbose=False)
    assert len(result.images) == 6 and result.class_names == ["0", "1", "2"]
    printed = capsys.readouterr().out  # said even with verbose=False
    assert "1 folder(s) inside the class folders were not read (e.g. 1/more)" in printed
    assert result.warnings and "Move those images up" in result.warnings[0]


def test_a_non_digit_folder_beside_the_digits_is_reported(tmp_path, capsys):
    make_tree(tmp_path, ["0", "1", "2", "unsorted"])
    result = images.load_image_folder(tmp_path)
    assert result.class_names == ["0", "1", "2", "unsorted"]
    printed = capsys.readouterr().out
    assert "the folder(s) ['unsorted'] beside the digit folders became classes" in printed
    assert "class index 3" in printed


def test_a_clean_tree_has_no_warnings(tmp_path, capsys):
    make_tree(tmp_path, ["cat", "dog"])  # not digits at all: fine, no warning
    result = images.load_image_folder(tmp_path, verbose=False)
    assert result.warnings == [] and capsys.readouterr().out == ""


def test_unreadable_files_do_not_count_towards_max_per_class(tmp_path):
    make_tree(tmp_path, ["0", "1"], per_class=3)
    for name in ("00_broken.png", "01_notes.png"):  # sorted first, so read first
        (tmp_path / "0" / name).write_bytes(b"not an image")
    result = images.load_image_folder(tmp_path, max_per_class=2, verbose=False)
    assert list(np.bincount(result.labels)) == [2, 2]
    assert sorted(p.name for p, _ in result.skipped) == ["00_broken.png", "01_notes.png"]
    fewer = images.load_image_folder(tmp_path, max_per_class=5, verbose=False)
    assert list(np.bincount(fewer.labels)) == [3, 3]  # all there are


# ---------------------------------------------------------------- too large for Pillow


@pytest.fixture
def small_pillow_limit(monkeypatch):
    """Pillow's decompression-bomb limit at 10,000 pixels, so a test image can exceed it."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    return 10_000


@pytest.mark.parametrize("side", [120, 160])  # 14,400 px: Pillow warns; 25,600: it refuses
def test_an_image_too_large_for_pillow_gets_a_clear_message(tmp_path, small_pillow_limit, side):
    seven(side).save(tmp_path / "huge.png")
    message = r"huge.png is too large: .*Pillow's safety limit .*MAX_IMAGE_PIXELS = 10,000\)"
    with pytest.raises(DataError, match=message) as caught:
        prepare_own_digit(tmp_path / "huge.png")
    assert "decompression bomb" not in str(caught.value).lower()
    assert f"{side * side / 1e6:.0f} megapixels" in str(caught.value)
    with pytest.raises(DataError, match="the uploaded data is too large"):
        prepare_own_digit((tmp_path / "huge.png").read_bytes())


def png_header_only(width, height):
    """The start of a PNG that claims width x height pixels: enough for Image.open."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))


def test_pillows_real_limit_is_named_for_a_huge_photo():
    limit = Image.MAX_IMAGE_PIXELS  # Pillow's default: 89,478,485 pixels
    with pytest.raises(DataError) as caught:
        prepare_own_digit(png_header_only(20_000, 20_000))  # 400 megapixels
    message = str(caught.value)
    assert f"400 megapixels, more than Pillow's safety limit of {limit / 1e6:.0f} megapixels" in (
        message
    )
    assert f"MAX_IMAGE_PIXELS = {limit:,}" in message and "50 megapixels" not in message


def test_the_folder_loader_skips_a_too_large_image_with_the_reason(tmp_path, small_pillow_limit):
    make_tree(tmp_path, ["4"])
    seven(160).save(tmp_path / "4" / "huge.png")
    result = images.load_image_folder(tmp_path, verbose=False)
    assert len(result.images) == 2
    [(path, reason)] = result.skipped
    assert path.name == "huge.png" and "Pillow's safety limit" in reason


def test_no_warning_escapes_to_the_learner(tmp_path, small_pillow_limit, recwarn):
    seven(120).save(tmp_path / "big.png")
    with pytest.raises(DataError):
        prepare_own_digit(tmp_path / "big.png")
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


@pytest.mark.parametrize(
    "values, expected",
    [
        (np.array([[0, 128, 255]], np.int32), [0, 128, 255]),  # 8-bit values in an int array
        (np.array([[0, 32896, 65535]], np.uint16), [0, 128, 255]),  # 16-bit
        (np.array([[0, 0.5, 1.0]], np.float32), [0, 128, 255]),  # floats in [0, 1]
        (np.array([[0, 100, 510.0]]), [0, 50, 255]),  # floats beyond 255: by the maximum
        (np.array([[0, 2**19, 2**20]], np.int32), [0, 128, 255]),  # 32-bit: by the maximum
    ],
)
def test_deep_pixel_values_are_scaled_to_8_bits(values, expected):
    as_image = images.to_8_bit(Image.fromarray(values))[0]  # a PIL image of mode I, I;16 or F
    assert np.asarray(as_image)[0].tolist() == expected
    from_array = np.asarray(images.open_any_image(np.vstack([values, values])))[0]
    assert np.abs(from_array.astype(int) - expected).max() <= 1


# ---------------------------------------------------------------- what a learner hands in


def mnist_three():
    return np.asarray(Image.open("data/mnist-images/3/0.png"))


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "no_such_digit.jpg", "There is no file"),
        (lambda d: "https://example.com/seven.png", "web address: download the picture first"),
        (lambda d: d, "is a folder, not an image file"),
        (lambda d: write(d / "cut.jpg", jpeg_bytes()[:400]), "the file is cut off"),
        (lambda d: write(d / "empty.jpg", b""), "the file is empty (0 bytes)"),
        (lambda d: write(d / "phone.jpg", b"\0\0\0\x18ftypheic\0\0\0\0mif1"), "an HEIC photo"),
        (lambda d: write(d / "scan.jpg", b"%PDF-1.4\n"), "a PDF"),
        (lambda d: write(d / "d.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "an SVG"),
        (lambda d: np.full((28, 28), np.nan), "NaN"),
        (lambda d: (mnist_three() / 255 - 0.13) / 0.31, "a standardised"),
        (lambda d: mnist_three().reshape(-1), ".reshape(28, 28)"),
        (lambda d: mnist_three()[None], "[0] of it"),
        (lambda d: np.zeros((0, 0)), "no pixels at all"),
        (lambda d: Image.new("L", (1, 1)), "too small to hold a digit"),
        (lambda d: np.zeros((1, 1)), "only 1×1 pixels"),
        (lambda d: np.zeros((3, 600)), "600×3 pixels"),
    ],
)
def test_what_cannot_be_a_digit_is_named_with_the_fix(tmp_path, make, expected):
    with pytest.raises(DataError, match=re.escape(expected)) as raised:
        prepare_own_digit(make(tmp_path))
    assert "Traceback" not in str(raised.value)


def write(path, data):
    path.write_bytes(data)
    return path


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.fromarray(255 - mnist_three()).resize((300, 300)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("as_what", ["list", "mask"])
def test_a_list_or_a_mask_of_a_digit_is_read_like_the_image(as_what):
    three = mnist_three()
    given = three.tolist() if as_what == "list" else three > 127
    expected = prepare_own_digit(three if as_what == "list" else (three > 127) * np.uint8(255))
    np.testing.assert_array_equal(prepare_own_digit(given), expected)
