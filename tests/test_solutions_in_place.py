"""Folded solutions work where the learner uses them: pasted into the stub cell, run in order.

tests/test_exercises.py checks each solution in a namespace the test prepares; a learner instead
pastes the solution into the notebook's stub cell, where only the names the notebook defined
above it exist. Here every notebook with exercises is run for real (in a kernel, in notebooks/)
with each stub replaced by its folded solution, and every check must then print ✅.

The second test runs a notebook with its stubs untouched and then runs every check cell again:
a re-run check cell must never report the reference (which the first run handed out) as the
learner's success.
"""

import json
import queue
import re
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTION = re.compile(r"<!--\s*solution:\s*(\w+)\s*-->")
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def check_call(name):
    return re.compile(rf"""\bcheck\(\s*["']{name}["']""")


def solutions(nb):
    """{exercise name: solution code} of a notebook's folded solutions."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for name in SOLUTION.findall(cell.source):
                found[name] = "\n".join(CODE_BLOCK.findall(cell.source))
    return found


def stub_index(nb, name):
    """Index of the code cell that defines `name` last before the cell that checks it."""
    calls = [i for i, c in enumerate(nb.cells) if check_call(name).search(c.source)]
    assert calls, f"no check('{name}', …) cell"
    definition = re.compile(rf"^(def|class) {name}\b|^{name}\s*=(?!\s*check\()", re.M)
    for i in range(calls[0] - 1, -1, -1):
        cell = nb.cells[i]
        if cell.cell_type == "code" and definition.search(cell.source):
            return i
    raise AssertionError(f"no stub cell defines {name} before its check")


class LostMessages(Exception):
    """The kernel finished a cell, but the messages with its outputs never arrived."""


def run(nb, timeout=300, tries=2):
    """Run a notebook's code cells in a fresh kernel in notebooks/, as Restart & Run All does.

    Fills in each code cell's outputs and returns the notebook. (A small loop over the kernel
    messages, as nbval runs notebooks. Here both nbclient and a plain loop sometimes never got
    a cell's outputs although the kernel had finished it, a message lost on the way: so the
    kernel's output channel is first checked with empty cells, and a run that loses a message
    is started again once, in a fresh kernel.)
    """
    for attempt in range(tries):
        manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"))
        try:
            for _ in range(20):  # until the output channel is connected
                try:
                    execute(client, "pass", 10, grace=1)
                    break
                except LostMessages:
                    continue
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = execute(client, cell.source, timeout)
            return nb
        except LostMessages:
            if attempt == tries - 1:
                raise
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


def execute(client, code, timeout, grace=30):
    """Run one cell; return its outputs (streams, displays, results, errors) as nbformat nodes.

    Waits up to `timeout` s for the kernel to finish, then up to `grace` s for the outputs.
    """
    msg_id = client.execute(code, allow_stdin=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            reply = client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
        except queue.Empty:
            message = f"the kernel did not finish within {timeout} s: {code[:200]}"
            raise AssertionError(message) from None
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    outputs, deadline = [], time.monotonic() + grace
    while True:
        try:
            message = client.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.1))
        except queue.Empty:
            raise LostMessages(code[:200]) from None
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "status" and content["execution_state"] == "idle":
            return outputs
        if kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append(nbformat.v4.output_from_msg(message))


def text_of(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            parts.append(f"ERROR {output.ename}: {output.evalue}")
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


WITH_EXERCISES = [p for p in NOTEBOOKS if solutions(nbformat.read(p, as_version=4))]


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=[p.name for p in WITH_EXERCISES])
def test_folded_solutions_pass_in_their_stub_cells(path):
    nb = nbformat.read(path, as_version=4)
    found = solutions(nb)
    for name, code in found.items():
        nb.cells[stub_index(nb, name)].source = code
    run(nb)
    errors = [text_of(c) for c in nb.cells if "ERROR " in text_of(c)]
    assert not errors, f"{path.name}: a cell failed with the solutions pasted in: {errors[0]}"
    for name in found:
        outputs = [text_of(c) for c in nb.cells if check_call(name).search(c.source)]
        assert any(f"✅ {name}" in out for out in outputs), (
            f"{path.name}: the folded solution of {name}, pasted into its stub cell, "
            f"did not pass its check: {json.dumps(outputs)[:600]}"
        )


def test_a_re_run_check_cell_does_not_praise_the_reference():
    path = ROOT / "notebooks" / "01_activation_functions.ipynb"
    nb = nbformat.read(path, as_version=4)
    names = list(solutions(nb))
    rerun = [c for c in nb.cells if any(check_call(n).search(c.source) for n in names)]
    nb.cells += [nbformat.v4.new_code_cell(c.source) for c in rerun]
    run(nb)
    for cell in nb.cells[-len(rerun) :]:
        out = text_of(cell)
        assert "✅" not in out and "ERROR " not in out, out
