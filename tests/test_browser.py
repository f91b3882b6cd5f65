"""A real browser: JupyterLab runs notebook 01 and the neuron widget reacts to its slider.

nbval cannot see widgets; this test can. It starts JupyterLab on 127.0.0.1 (with a token)
on a temporary copy of the notebooks, opens notebook 01 in headless Chromium driven by
Playwright, runs all cells, drags the weight slider of the neuron widget and waits until
the line the widget prints ("w = ..., b = ...: output at x = 1 is ...") changes. It saves a
screenshot and prints its path.

Needs Debian's `chromium` (/usr/bin/chromium) and the `playwright` Python package (not
Playwright's own browser download). Without them it is skipped, so a participant's
`python -m pytest` stays green; CI (.ci/run) installs both. About 15 s.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "01_activation_functions.ipynb"
MARKER = "output at x = 1 is"  # printed by the neuron widget's callback on every change
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The notebooks to copy and serve (another folder only to develop this test).
SOURCE = Path(os.environ.get("BROWSER_TEST_NOTEBOOKS", ROOT / "notebooks"))
SCREENSHOT = Path(tempfile.gettempdir()) / "hands-on-dl-browser" / "01_neuron_widget.png"

REQUIRED = os.environ.get("REQUIRE_BROWSER_TEST") == "1"  # CI sets it: skipping is failing


def skip(reason):
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER_TEST=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not Path(CHROMIUM).is_file():
    skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM=...)")
try:
    from playwright import sync_api
except ImportError:
    skip("the browser test needs the playwright package: python -m pip install playwright")
if not (SOURCE / NOTEBOOK).is_file():
    skip(f"notebooks/{NOTEBOOK} does not exist yet")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_copy(source, target):
    """Copy a notebook without outputs and saved widget state: all we see comes from the run."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    notebook["metadata"].pop("widgets", None)
    target.write_text(json.dumps(notebook), encoding="utf-8")


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on a temporary copy of the notebooks; yields (url, notebooks dir)."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(SOURCE, notebooks, ignore=shutil.ignore_patterns("*.npz"))
    clean_copy(SOURCE / NOTEBOOK, notebooks / NOTEBOOK)
    config = tmp_path / "jupyter-config"  # no news toast covering the page
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    # Every cell in the DOM (JupyterLab 4 otherwise detaches cells outside the viewport).
    tracker = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces"),
    }
    port, token = free_port(), uuid.uuid4().hex
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands directly
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp_path / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        command,
        cwd=notebooks,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab did not start:\n"
                        + (tmp_path / "jupyterlab.log").read_text()[-3000:]
                    )
                time.sleep(0.25)
        yield f"{url}/lab/tree/{NOTEBOOK}?token={token}", notebooks
    finally:
        if server.poll() is None:  # the server and its kernel: our own process group
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def widget_line(page):
    """The text the neuron widget printed last (or '' before it printed anything)."""
    return page.evaluate(
        """(marker) => {
            const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
            const texts = outputs.map(o => o.innerText).filter(t => t.includes(marker));
            return texts.length ? texts[texts.length - 1].trim() : '';
        }""",
        MARKER,
    )


def drag(page, label, dx):
    """Drag the handle of the slider whose description is `label` by dx pixels."""
    handle = page.locator(".widget-slider", has_text=label).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=6)
    page.mouse.up()


def test_neuron_widget_reacts_to_its_slider_in_a_real_browser(jupyterlab, tmp_path):
    url, notebooks = jupyterlab
    started = time.monotonic()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            # The notebook is open and its kernel is ready.
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            page.wait_for_function(
                """() => {
                    const app = window.jupyterapp;
                    const panel = app && app.shell.currentWidget;
                    const kernel = panel && panel.sessionContext && panel.sessionContext.session
                        && panel.sessionContext.session.kernel;
                    return kernel && kernel.connectionStatus === 'connected'
                        && kernel.status === 'idle';
                }"""
            )
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(
                """(marker) => [...document.querySelectorAll('.jp-OutputArea-output')]
                    .some(o => o.innerText.includes(marker))""",
                arg=MARKER,
            )
            # Let every cell finish: no cell is still queued or running ("[*]").
            page.wait_for_function(
                """() => {
                    const prompts = [...document.querySelectorAll('.jp-InputArea-prompt')];
                    return prompts.length && !prompts.some(p => p.innerText.includes('*'));
                }""",
                timeout=120_000,
            )
            # No tracebacks, no warnings (both are shown as stderr).
            stderr = page.locator(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
            )
            assert stderr.count() == 0, stderr.all_inner_texts()
            before = widget_line(page)
            assert before.startswith("w = 1.50, b = 0.00"), before

            # The setup check's test slider, if notebook 01 has the check cell: it must react too.
            if page.locator(".widget-slider", has_text="test slider").count():
                drag(page, "test slider", 40)
                page.locator(".widget-label", has_text="widgets work").first.wait_for(
                    timeout=30_000
                )

            drag(page, "weight w", 25)  # the neuron widget's weight slider, to the right
            page.wait_for_function(
                """([marker, before]) => {
                    const texts = [...document.querySelectorAll('.jp-OutputArea-output')]
                        .map(o => o.innerText.trim()).filter(t => t.includes(marker));
                    return texts.length && texts[texts.length - 1] !== before;
                }""",
                arg=[MARKER, before],
                timeout=30_000,
            )
            after = widget_line(page)
            assert after != before and after.startswith("w = ") and MARKER in after
            assert not after.startswith("w = 1.50"), after

            page.locator(".widget-slider", has_text="weight w").scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # let the new figure paint
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        except BaseException:
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT.with_name("failure.png")))
            print(f"\nscreenshot of the failure: {SCREENSHOT.with_name('failure.png')}")
            raise
        finally:
            browser.close()
    print(f"\nwidget: {before!r} -> {after!r}")
    print(f"screenshot: {SCREENSHOT} ({time.monotonic() - started:.1f} s in the browser)")
    # The copy was served, not the repository's notebook.
    assert (notebooks / NOTEBOOK).resolve() != (SOURCE / NOTEBOOK).resolve()
