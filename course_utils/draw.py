"""Draw a digit in the notebook, or upload a picture of one, and see what the network reads.

digit_canvas(model)  a canvas to draw on with the mouse, a pen or a finger. The browser draws
    the stroke itself and sends it to Python once, when you lift the pen (one message per
    stroke), so it stays quick on a busy server. It is an anywidget (https://anywidget.dev): a
    few lines of JavaScript, no build step, and the front ends anywidget supports (JupyterLab,
    Notebook 7, JupyterLite, VS Code, Colab) run it; tests/test_browser.py draws in JupyterLab.
digit_upload(model)  the fallback that works everywhere: upload a PNG or JPG.
DigitCanvas  the canvas alone; its strokes can also be set from Python, e.g. to draw by code:
    DigitCanvas(strokes=[[(70, 60), (210, 60), (120, 240)]]).image()  # a 7
Both widgets answer through course_utils.own_digit.read_own_digit and show_own_digit.
"""

import anywidget
import ipywidgets as w
import matplotlib.pyplot as plt
import traitlets
from PIL import Image, ImageDraw

from course_utils.own_digit import read_own_digit, show_own_digit

MAX_UPLOAD_BYTES = 25 * 1024 * 1024

# The browser side: draw while the pen moves, send the finished stroke, redraw on changes.
CANVAS_JS = """
function render({ model, el }) {
  const size = model.get("size");
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  canvas.className = "digit-canvas";
  const clear = document.createElement("button");
  clear.textContent = "Clear";
  clear.className = "digit-canvas-clear jupyter-button";
  el.append(canvas, clear);
  const ctx = canvas.getContext("2d");

  function line(points) {
    ctx.lineWidth = model.get("pen");
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.strokeStyle = "black";
    ctx.beginPath();
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points) ctx.lineTo(x, y);
    if (points.length === 1) ctx.lineTo(points[0][0] + 0.1, points[0][1]);  // a dot
    ctx.stroke();
  }
  function paint() {
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, size, size);
    for (const stroke of model.get("strokes")) line(stroke);
  }
  function at(event) {  // pointer position in canvas pixels, whatever the zoom
    const box = canvas.getBoundingClientRect();
    return [
      Math.round(((event.clientX - box.left) * size) / box.width),
      Math.round(((event.clientY - box.top) * size) / box.height),
    ];
  }

  let stroke = null;
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    stroke = [at(event)];
    line(stroke);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!stroke) return;
    stroke.push(at(event));
    line(stroke.slice(-2));
  });
  const finish = () => {
    if (!stroke) return;
    model.set("strokes", [...model.get("strokes"), stroke]);
    model.save_changes();  // the one message of this stroke
    stroke = null;
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  clear.addEventListener("click", () => {
    model.set("strokes", []);
    model.save_changes();
  });
  model.on("change:strokes", paint);
  paint();
  return () => model.off("change:strokes", paint);
}
export default { render };
"""

CANVAS_CSS = """
.digit-canvas { border: 1px solid #999; touch-action: none; cursor: crosshair; }
.digit-canvas-clear { display: block; margin-top: 4px; }
"""


class DigitCanvas(anywidget.AnyWidget):
    """A square canvas (size x size pixels) to draw a digit on in dark strokes `pen` wide.

    strokes: a list of strokes, each a list of [x, y] points in canvas pixels; the browser
    appends one when the pen is lifted, "Clear" empties it, and Python may set it too.
    """

    _esm = CANVAS_JS
    _css = CANVAS_CSS
    size = traitlets.Int(280).tag(sync=True)
    pen = traitlets.Int(22).tag(sync=True)
    strokes = traitlets.List([]).tag(sync=True)

    def image(self):
        """The drawing as Python sees it: a PIL image, dark strokes on white, size x size."""
        image = Image.new("L", (self.size, self.size), 255)
        draw = ImageDraw.Draw(image)
        radius = self.pen / 2
        for stroke in self.strokes:
            points = [tuple(map(float, point)) for point in stroke]
            if len(points) > 1:
                draw.line(points, fill=0, width=self.pen)
            for x, y in points:  # round ends and joints, like the browser's
                draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=0)
        return image


def answer(model, picture, name, out, invert="auto"):
    """Show in the Output widget `out` what the network reads in `picture`."""
    out.clear_output(wait=True)
    with out:
        result, message = read_own_digit(model, picture, name, invert)
        print(message)
        if result is not None:
            show_own_digit(result)
            plt.show()


def digit_canvas(model, size=280, pen=22):
    """A widget: draw a digit, and after every stroke see what `model` reads in it."""
    canvas = DigitCanvas(size=size, pen=pen)
    out = w.Output()

    def on_strokes(change):
        if change["new"]:
            answer(model, canvas.image(), "your drawing", out)
        else:
            out.clear_output()

    canvas.observe(on_strokes, names="strokes")
    return w.VBox([canvas, out])


def digit_upload(model):
    """A widget: upload a photo or drawing of one digit and see what `model` reads in it."""
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
        content, name = bytes(item["content"]), item["name"]
        if len(content) > MAX_UPLOAD_BYTES:
            out.clear_output(wait=True)
            with out:
                print(
                    f"{name} is {len(content) / 2**20:.0f} MB, more than the "
                    f"{MAX_UPLOAD_BYTES // 2**20} MB accepted: send a smaller photo "
                    "(a phone's 'medium' size is plenty)."
                )
            return
        answer(model, content, name, out, invert.value)

    upload.observe(show, names="value")
    invert.observe(show, names="value")
    return w.VBox([w.HBox([upload, invert]), out])
