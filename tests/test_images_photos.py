"""Your own digit on synthetic phone photos (tests/synthetic_photos.py): desk, shadows, controls.

A network is trained in a few seconds on the shipped sample (notebook 07's recommended
setting, fewer epochs); 3 test digits per class that it reads right as plain 28x28 images
are photographed under every condition, 30 photos each (400x300 pixels to keep the test
quick; scripts/benchmark_own_digit.py measures 800x600 photos and the full MNIST). Also:
what is refused and how, the honest answer, and the widgets' Python side.
"""

import datetime
import io

import numpy as np
import pytest
import synthetic_photos as sp
from PIL import Image, ImageDraw

import course_utils as cu
from course_utils.data import flatten_and_scale, load_mnist
from course_utils.errors import DataError
from course_utils.lessons.nb07_mnist import CosineSchedule, RandomShifts, callbacks
from course_utils.own_digit import OwnDigit, prepare_own_digit, read_own_digit, show_own_digit

PHOTO_SIZE = (400, 300)
# The issue asks for at least 27 of 30 under every condition. Measured with this test's
# model (95 % on the sample's test digits): 28-30 of 30 with these photos (seed 0); other
# photo seeds gave 26-30 (the 45 % shadow once 26), as this small model is less sure.
AT_LEAST = 27


@pytest.fixture(scope="module")
def sample_model():
    mnist = load_mnist(sample=True, verbose=False)
    x = flatten_and_scale(mnist.x_train)
    model = cu.MLP([784, 128, 64, 10], seed=0)
    optimizer = cu.SGD(model, lr=0.05, momentum=0.9)
    shifts = RandomShifts(x, max_shift=1, seed=0)
    epochs = 8
    cu.fit(
        model,
        cu.CrossEntropyLoss(),
        optimizer,
        shifts.x,
        mnist.y_train,
        epochs=epochs,
        batch_size=64,
        seed=0,
        progress=False,
        callback=callbacks(CosineSchedule(optimizer, epochs), shifts),
    )
    predicted = cu.predict(model, flatten_and_scale(mnist.x_test))
    digits, labels = sp.pick_digits(mnist.x_test, mnist.y_test, predicted, per_class=3)
    return model, digits, labels


@pytest.mark.parametrize("condition", list(sp.CONDITIONS))
def test_photos_are_read_right_under_every_condition(sample_model, condition):
    model, digits, labels = sample_model
    right, wrong = 0, []
    for k, (label, photo) in enumerate(
        sp.photo_set(digits, labels, condition, len(digits), size=PHOTO_SIZE)
    ):
        try:
            digit = prepare_own_digit(photo)
        except DataError as err:  # a refusal counts as not read
            wrong.append((k, label, str(err)[:60]))
            continue
        read = int(cu.predict(model, flatten_and_scale(digit[None]))[0])
        right += read == label
        if read != label:
            wrong.append((k, label, read))
    assert right >= AT_LEAST, f"{condition}: {right}/{len(digits)}; wrong: {wrong}"


# ---------------------------------------------------------------- what is refused


def sheet(size=(400, 300), paper=225):
    return Image.new("L", size, paper)


def pen_line(image, points, width=9):
    ImageDraw.Draw(image).line(points, fill=40, width=width, joint="curve")
    return image


def test_a_blank_sheet_on_a_desk_is_refused():
    photo = sheet()
    ImageDraw.Draw(photo).rectangle([0, 0, 40, 300], fill=80)  # the desk strip
    with pytest.raises(DataError, match="Found no digit"):
        prepare_own_digit(photo)


def test_a_finger_or_the_ruling_of_an_empty_sheet_is_not_read_as_a_digit():
    finger = sheet()
    ImageDraw.Draw(finger).ellipse([-30, 200, 30, 260], fill=90)  # a fingertip at the edge
    ruled = sheet()
    for y in range(0, 300, 25):
        ImageDraw.Draw(ruled).line([(0, y), (399, y)], fill=60, width=3)
    ImageDraw.Draw(ruled).line([(30, 0), (30, 299)], fill=60, width=3)  # the margin joins them
    for photo in (finger, ruled):
        with pytest.raises(DataError, match="Found no digit"):
            prepare_own_digit(photo)


def test_two_digits_side_by_side_are_refused():
    photo = sheet()
    pen_line(photo, [(80, 80), (80, 220)])  # a 1
    pen_line(photo, [(250, 80), (330, 80), (280, 220)])  # a 7
    with pytest.raises(DataError, match="2 separate marks of about the same size"):
        prepare_own_digit(photo)


def test_a_digit_in_two_strokes_is_one_digit():
    photo = sheet()
    pen_line(photo, [(150, 70), (250, 70)])  # a 5's flag, drawn apart from its body
    pen_line(photo, [(160, 90), (155, 150), (230, 160), (235, 220), (150, 230)])
    digit, steps = prepare_own_digit(photo, return_steps=True)
    top, bottom, left, right = steps["box"]
    assert top < 70 < 230 < bottom  # the flag and the body both kept


@pytest.mark.parametrize(
    "strokes",
    [
        [[(140, 0), (140, 279)]],  # a 1 from the top edge to the bottom edge
        [[(60, 40), (220, 40), (120, 279)]],  # a 7 whose stem runs off the bottom
        [[(0, 150), (40, 60), (100, 120), (60, 200), (0, 150)]],  # a 0 cut by the left edge
    ],
)
def test_a_drawing_touching_the_border_is_still_read(strokes):
    drawing = sheet((280, 280), 255)
    for points in strokes:
        pen_line(drawing, points, width=22)
    digit, steps = prepare_own_digit(drawing, return_steps=True)
    drawn = np.asarray(drawing) < 128
    found = steps["digit"] > 0
    assert (found & drawn).sum() > 0.8 * drawn.sum()  # (the digit's soft edge is cut at WEAK)


def test_a_desk_edge_next_to_a_digit_is_left_out():
    photo = sheet()
    ImageDraw.Draw(photo).rectangle([0, 0, 30, 300], fill=70)
    ImageDraw.Draw(photo).line([(31, 0), (31, 300)], fill=150, width=3)  # the sheet's rim
    pen_line(photo, [(170, 80), (250, 80), (200, 230)])
    digit, steps = prepare_own_digit(photo, return_steps=True)
    top, bottom, left, right = steps["box"]
    assert left > 150 and right < 270


def test_a_dark_grid_on_squared_paper_is_not_part_of_the_digit():
    photo = sheet((800, 600), 228)
    draw = ImageDraw.Draw(photo)
    for x in range(10, 800, 36):  # 2-pixel grey lines, darker than most squared paper
        draw.line([(x, 0), (x, 600)], fill=140, width=2)
    for y in range(7, 600, 36):
        draw.line([(0, y), (800, y)], fill=140, width=2)
    pen_line(photo, [(330, 180), (480, 180), (390, 420)], width=16)
    digit, steps = prepare_own_digit(photo, return_steps=True)
    top, bottom, left, right = steps["box"]
    assert 160 < top and bottom < 440 and 310 < left and right < 500


# ---------------------------------------------------------------- the honest answer


def fixed_model(probabilities):
    """A network that answers `probabilities` (shape (10,)) whatever it sees."""
    model = cu.MLP([784, 10], seed=0)
    model.layers[0].M[...] = 0
    model.layers[0].b[...] = np.log(probabilities)
    return model


def drawn_seven():
    return pen_line(sheet((280, 280), 255), [(70, 60), (210, 60), (120, 240)], width=22)


def test_a_low_probability_says_not_sure_with_the_top_three():
    p = np.full(10, 0.16 / 7)  # the seven others share what is left
    p[[4, 9, 7]] = [0.41, 0.38, 0.05]
    result, message = read_own_digit(fixed_model(p), drawn_seven(), "my digit")
    assert result is not None and not result.sure
    assert [c for c, _ in result.top3] == [4, 9, 7]
    assert message.startswith("my digit: the network is not sure: 4 or 9? (p = 41% and 38%;")
    assert "then 7: 5%" in message


def test_a_high_probability_names_the_digit_and_the_next_two():
    p = np.full(10, 0.04 / 7)
    p[[7, 1, 2]] = [0.9, 0.04, 0.02]
    result, message = read_own_digit(fixed_model(p), drawn_seven(), "seven.png")
    assert result.sure and result.prediction == 7
    assert message == "seven.png: the network reads a 7 (p = 90%); next: 1 (4%), 2 (2%)."


def test_an_8_gets_its_article():
    p = np.full(10, 0.01)
    p[8] = 0.91
    result = OwnDigit("x", np.zeros((28, 28), np.uint8), {}, p)
    assert "reads an 8 (p = 91%)" in result.message()


def test_exactly_one_half_counts_as_sure():
    p = np.full(10, 0.5 / 9)
    p[3] = 0.5
    result = OwnDigit("x", np.zeros((28, 28), np.uint8), {}, p)
    assert result.sure and "reads a 3" in result.message()


def test_a_picture_that_cannot_be_used_gets_a_message_not_an_exception():
    model = fixed_model(np.full(10, 0.1))
    for source, expected in [
        (b"this is a text file", "Could not use notes.txt: Could not read notes.txt"),
        (b"", "notes.txt is empty (0 bytes)"),
        (Image.new("L", (50, 50), 255), "Found no digit"),
    ]:
        result, message = read_own_digit(model, source, "notes.txt")
        assert result is None and expected in message, message


def test_the_figure_shows_the_photo_and_the_28x28_image_the_network_saw():
    import matplotlib.pyplot as plt

    p = np.full(10, 0.16 / 7)
    p[[4, 9, 7]] = [0.41, 0.38, 0.05]
    photo = drawn_seven().convert("RGB")
    result, _ = read_own_digit(fixed_model(p), photo, "x")
    fig = show_own_digit(result, title="a test")
    left, middle, bars = fig.axes
    assert left.images[0].get_array().shape[:2] == result.steps["grayscale"].shape
    np.testing.assert_array_equal(middle.images[0].get_array(), result.digit)
    assert "28×28" in middle.get_title() and bars.get_title() == "not sure: 4 or 9?"
    assert len(left.patches) == 1  # the box around the digit found
    plt.close(fig)


# ---------------------------------------------------------------- the widgets' Python side


def test_the_canvas_renders_its_strokes_like_the_browser():
    from course_utils.draw import DigitCanvas

    canvas = DigitCanvas(strokes=[[[70, 60], [210, 60], [120, 240]], [[140, 140]]])
    image = np.asarray(canvas.image())
    assert image.shape == (280, 280) and image[60, 140] == 0 and image[140, 140] == 0
    assert image[5, 5] == 255 and image[270, 270] == 255
    dot = np.asarray(DigitCanvas(strokes=[[[100, 100]]], pen=20).image()) == 0
    assert 250 < dot.sum() < 380  # one round dot of diameter 20: about 314 pixels


def test_each_stroke_gets_an_answer_and_clear_removes_it(capsys):
    from course_utils.draw import digit_canvas

    p = np.full(10, 0.01)
    p[7] = 0.91
    widget = digit_canvas(fixed_model(p))
    canvas = widget.children[0]
    canvas.strokes = [[[70, 60], [210, 60], [120, 240]]]  # as the browser sends one stroke
    assert "your drawing: the network reads a 7 (p = 91%)" in capsys.readouterr().out
    canvas.strokes = []  # "Clear"
    assert "your drawing" not in capsys.readouterr().out


def test_the_upload_widget_answers_and_refuses_too_large_files(capsys, monkeypatch):
    from course_utils import draw

    p = np.full(10, 0.01)
    p[7] = 0.91
    widget = draw.digit_upload(fixed_model(p))
    upload = widget.children[0].children[0]
    buffer = io.BytesIO()
    drawn_seven().save(buffer, format="PNG")
    content = memoryview(buffer.getvalue())
    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    item = {"name": "seven.png", "type": "image/png", "size": len(content), "content": content}
    item["last_modified"] = when
    upload.value = (item,)
    assert "seven.png: the network reads a 7" in capsys.readouterr().out
    monkeypatch.setattr(draw, "MAX_UPLOAD_BYTES", 10)
    upload.value = (dict(item, name="big.png"),)
    printed = capsys.readouterr().out
    assert "big.png is" in printed and "accepted: send a smaller photo" in printed
    assert "the network reads" not in printed


# ---------------------------------------------------------------- thin pens

PEN_SHAPES = {
    "a 7": [[(70, 60), (210, 60), (120, 240)]],
    "a 1": [[(140, 40), (140, 240)]],
    "a 4": [[(170, 240), (170, 40), (60, 170), (220, 170)]],
    "a 0": [[(140, 40), (200, 90), (200, 190), (140, 240), (80, 190), (80, 90), (140, 40)]],
}


def test_stroke_width_is_measured_in_pixels():
    from course_utils.own_digit import stroke_width

    for width in (2, 5, 12):
        strokes = np.zeros((200, 200), dtype=bool)
        strokes[40:160, 100 : 100 + width] = True  # a bar `width` pixels wide, 120 long
        assert stroke_width(strokes) == pytest.approx(width, rel=0.25), width


@pytest.mark.parametrize("shape", PEN_SHAPES)
def test_a_thin_pen_gives_the_28x28_image_of_a_felt_tip(shape):
    """A ballpoint's line, 3 pixels on a 280-pixel canvas, becomes MNIST-wide strokes, not a
    faint thread: close to what the same digit drawn with a 22-pixel felt tip gives."""
    from course_utils.draw import DigitCanvas

    thin = prepare_own_digit(DigitCanvas(strokes=PEN_SHAPES[shape], pen=3).image())
    thick = prepare_own_digit(DigitCanvas(strokes=PEN_SHAPES[shape], pen=22).image())
    assert thin.max() >= 200, "the thin strokes are faint in the 28x28 image"
    assert 0.6 < thin.sum() / thick.sum() < 1.6
    shifts = [np.roll(thin, (dy, dx), axis=(0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    best = max(np.corrcoef(s.ravel(), thick.ravel())[0, 1] for s in shifts)  # centring rounds
    assert best > 0.85, best


def test_a_felt_tip_is_not_widened():
    from course_utils.draw import DigitCanvas

    _, steps = prepare_own_digit(DigitCanvas(strokes=PEN_SHAPES["a 7"]).image(), return_steps=True)
    np.testing.assert_array_equal(steps["widened"], steps["digit"])
