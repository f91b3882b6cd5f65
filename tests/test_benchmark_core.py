"""scripts/benchmark_core.py compares like with like, and runs.

The benchmark's ratios only mean something if its contenders do the same work: the
hand-fused loop (the NumPy floor) must train exactly what course_utils trains. Timings
themselves are never asserted here: the script prints them.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import course_utils as cu

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "benchmark_core.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark_core", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (640, 784), dtype=np.uint8)
    return np.divide(images, 255, dtype=np.float32), rng.integers(0, 10, 640)


def test_fused_loop_trains_what_course_utils_trains(bench, digits):
    x, y = digits
    model = cu.MLP([784, 128, 10], seed=0)
    untrained = [p.copy() for p, _ in model.parameters()]
    ours, fused = bench.numpy_epoch(x, y, 64, model), bench.fused_epoch(x, y, 64)
    for _ in range(2):  # two epochs: the shuffles must agree too, not only the first
        ours()
        floor = fused()
    for (p, _), q, start in zip(model.parameters(), floor, untrained):
        assert not np.allclose(p, start), "training did not move this parameter"
        np.testing.assert_allclose(q, p, rtol=1e-4, atol=1e-6)


def test_products_alone_are_the_layers_products(bench, digits):
    """The baseline multiplies the shapes and memory orders the layers multiply."""
    x, _ = digits
    layer = cu.MLP([784, 128, 10], seed=0).layers[0]
    assert layer.M.flags.f_contiguous  # what matmuls_only mirrors
    calls = []
    real = np.matmul

    def spy(a, b, *args, **kwargs):
        calls.append((a.shape, b.shape))
        return real(a, b, *args, **kwargs)

    np.matmul = spy  # the baseline's explicit np.matmul calls: the backward products
    try:
        bench.matmuls_only(x[:64], 64)()
    finally:
        np.matmul = real
    assert calls == [((10, 64), (64, 128)), ((128, 64), (64, 784))]


def test_script_prints_every_contender(tmp_path):
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "256", "--repeats", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    for line in (
        "course_utils:",
        "course_utils, uint8 images:",
        "matrix products alone:",
        "hand-fused loop (the floor):",
        "peak memory",
        "× products",
    ):
        assert line in out.stdout, f"{line!r} missing from:\n{out.stdout}"
