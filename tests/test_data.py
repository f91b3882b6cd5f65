"""Tests for course_utils.data (MNIST) and course_utils.images; no network needed.

Downloads go to a small HTTP server that these tests start on 127.0.0.1. It serves IDX
files built from the shipped sample, under paths that each behave differently:
/good/ (correct), /corrupt/ (valid gzip, wrong contents), /garbage/ (not gzip),
/cut/ (the transfer stops halfway), /slow/ (answers after the client's timeout),
/truncated/ (a complete transfer of half a gzip file), /portal/ (a Wi-Fi login page);
anything else is a 404. The server counts the requests it gets (served.requests).
"""

import errno
import gzip
import hashlib
import http.server
import io
import os
import shutil
import socket
import tempfile
import threading
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from course_utils import data, images
from course_utils.errors import DataError

NAMES = list(data.MNIST_SHA256)


# ---------------------------------------------------------------- helpers and fixtures


def small_mnist_files():
    """A tiny MNIST-like set built from the shipped sample: {name: raw IDX bytes}."""
    sample = data.load_mnist(sample=True, verbose=False)
    arrays = {
        "train-images-idx3-ubyte": sample.x_train[:60],
        "train-labels-idx1-ubyte": sample.y_train[:60].astype(np.uint8),
        "t10k-images-idx3-ubyte": sample.x_test[:20],
        "t10k-labels-idx1-ubyte": sample.y_test[:20].astype(np.uint8),
    }
    return {name: data.idx_bytes(array) for name, array in arrays.items()}


class Served(tuple):
    """(base URL, {name: raw bytes}, {name: sha256}) and .requests: the paths asked for."""

    def __new__(cls, url, raws, checksums, requests):
        served = super().__new__(cls, (url, raws, checksums))
        served.requests = requests
        return served


@pytest.fixture(scope="module")
def served():
    """Start the test HTTP server; yield (base URL, {name: raw bytes}, {name: sha256})."""
    raws = small_mnist_files()
    checksums = {name: hashlib.sha256(raw).hexdigest() for name, raw in raws.items()}

    kinds = ("good", "corrupt", "garbage", "cut", "slow", "truncated", "portal")
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def do_GET(self):
            requests.append(self.path)
            kind, _, filename = self.path.strip("/").partition("/")
            name = filename.removesuffix(".gz")
            if name not in raws or kind not in kinds:
                self.send_error(404)
                return
            raw = raws[name]
            if kind == "corrupt":
                raw = raw[:-1] + bytes([raw[-1] ^ 0xFF])  # flip the bits of the last byte
            body = gzip.compress(raw)
            if kind == "garbage":
                body = b"<html>Access denied</html>" * 10
            if kind == "truncated":
                body = body[: len(body) // 2]
            if kind == "slow":
                time.sleep(1.0)
            self.send_response(200)
            if kind == "portal":
                body = b"<!DOCTYPE html>\n<html><title>Guest Wi-Fi</title>Please log in</html>"
                self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if kind == "cut":
                body = body[: len(body) // 2]
                self.close_connection = True
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up: fine
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served = Served(f"http://127.0.0.1:{server.server_address[1]}", raws, checksums, requests)
    yield served
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


@pytest.fixture
def offline(monkeypatch):
    """No MNIST_DIR, whatever the machine running the tests has set."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)


def write_mnist_dir(directory, raws):
    """Write the raw IDX files gzip-compressed into `directory`, as the mirrors serve them."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, raw in raws.items():
        (directory / (name + ".gz")).write_bytes(gzip.compress(raw))


# ---------------------------------------------------------------- IDX


@pytest.mark.parametrize(
    "array",
    [
        np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28),
        np.array([-3, 0, 5], dtype=np.int8),
        np.array([[-300, 7], [12, 0]], dtype=np.int16),
        np.array([1, -70000, 3], dtype=np.int32),
        np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4),
        np.array([np.pi, -1e300], dtype=np.float64),
    ],
)
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, array, suffix):
    path = tmp_path / ("array.idx" + suffix)
    data.write_idx(path, array)
    back = data.read_idx(path)
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    back[0] = 0  # the array we get back is writable


def test_idx_header_matches_mnist_layout():
    raw = data.idx_bytes(np.zeros((3, 28, 28), dtype=np.uint8))
    assert raw[:4] == bytes([0, 0, 0x08, 3])
    assert raw[4:16] == (3).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    assert len(raw) == 16 + 3 * 28 * 28


def test_idx_rejects_bad_files(tmp_path):
    with pytest.raises(DataError, match="not an IDX file"):
        data.parse_idx(b"<html>403 Forbidden</html>")
    raw = data.idx_bytes(np.zeros((4, 5), dtype=np.uint8))
    with pytest.raises(DataError, match="cut off"):
        data.parse_idx(raw[:-3])
    with pytest.raises(DataError, match="cannot store dtype"):
        data.idx_bytes(np.zeros(3, dtype=np.int64))
    cut_gzip = tmp_path / "cut.gz"
    cut_gzip.write_bytes(gzip.compress(raw + bytes(1000))[:30])
    with pytest.raises(DataError, match="cannot be decompressed"):
        data.read_idx(cut_gzip)


# ---------------------------------------------------------------- checksums and the sample


def test_checksum_mismatch_detected(tmp_path, served):
    _, raws, checksums = served
    write_mnist_dir(tmp_path, raws)
    assert data.verify_directory(tmp_path, checksums) == dict.fromkeys(NAMES, "ok")
    wrong = dict(checksums, **{"t10k-labels-idx1-ubyte": "0" * 64})
    with pytest.raises(DataError, match="Checksum mismatch .*t10k-labels"):
        data.load_directory(tmp_path, wrong)
    assert data.verify_directory(tmp_path, wrong)["t10k-labels-idx1-ubyte"] == "mismatch"
    (tmp_path / "train-images-idx3-ubyte.gz").unlink()
    assert data.verify_directory(tmp_path, checksums)["train-images-idx3-ubyte"] == "missing"
    # The real MNIST checksums do not match the small files.
    assert set(data.verify_directory(tmp_path).values()) == {"mismatch", "missing"}


def test_uncompressed_and_kaggle_names_are_found(tmp_path, served):
    _, raws, checksums = served
    for name, raw in raws.items():
        (tmp_path / name.replace("-idx", ".idx")).write_bytes(raw)
    x_train, y_train, x_test, y_test = data.load_directory(tmp_path, checksums)
    assert x_train.shape == (60, 28, 28) and y_test.shape == (20,)


def test_shipped_sample_is_intact():
    assert data.verify_directory(data.SAMPLE_DIR, data.SAMPLE_SHA256) == dict.fromkeys(NAMES, "ok")
    sample = data.load_mnist(sample=True, verbose=False)
    assert sample.x_train.shape == (4000, 28, 28) and sample.x_test.shape == (1000, 28, 28)
    assert sample.x_train.dtype == np.uint8 and sample.y_train.dtype == np.int64
    assert np.all(np.bincount(sample.y_train) == 400) and np.all(np.bincount(sample.y_test) == 100)
    assert sample.x_train.max() == 255 and sample.x_train.min() == 0


def test_shipped_files_match_sha256sums():
    lines = (data.DATA_DIR / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == 4 + 100
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((data.DATA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_flatten_and_scale():
    x = data.flatten_and_scale(np.full((5, 28, 28), 255, dtype=np.uint8))
    assert x.shape == (5, 784) and x.dtype == np.float32 and x.max() == 1.0
    assert data.flatten_and_scale(np.zeros((2, 28, 28), np.uint8), np.float64).dtype == np.float64


# ---------------------------------------------------------------- downloads


def test_download_from_good_mirror(tmp_path, served):
    url, raws, checksums = served
    target = tmp_path / "mnist"
    data.download_mnist(target, mirrors=[url + "/good/"], checksums=checksums, progress=False)
    assert sorted(p.name for p in target.iterdir()) == sorted(n + ".gz" for n in NAMES)
    assert data.verify_directory(target, checksums) == dict.fromkeys(NAMES, "ok")


BAD_MIRRORS = ["corrupt", "garbage", "cut", "missing", "refused", "slow", "truncated", "portal"]


@pytest.mark.parametrize("bad", BAD_MIRRORS)
def test_download_moves_on_to_the_next_mirror(tmp_path, served, closed_port_url, bad):
    url, _, checksums = served
    bad_url = closed_port_url if bad == "refused" else f"{url}/{bad}/"
    mirrors = [bad_url, url + "/good/"]
    data.download_mnist(tmp_path, mirrors, timeout=0.3, checksums=checksums, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n + ".gz" for n in NAMES)
    assert data.verify_directory(tmp_path, checksums) == dict.fromkeys(NAMES, "ok")


@pytest.mark.parametrize("bad", BAD_MIRRORS)
def test_failed_download_leaves_no_file(tmp_path, served, closed_port_url, bad):
    url, _, checksums = served
    bad_url = closed_port_url if bad == "refused" else f"{url}/{bad}/"
    one_file = {"t10k-labels-idx1-ubyte": checksums["t10k-labels-idx1-ubyte"]}
    with pytest.raises(DataError, match="Could not download t10k-labels") as error:
        data.download_mnist(tmp_path, [bad_url], timeout=0.3, checksums=one_file, progress=False)
    assert bad_url in str(error.value)
    assert list(tmp_path.iterdir()) == []  # no partial, temporary or unverified file


def test_download_keeps_good_files_and_replaces_bad_ones(tmp_path, served):
    url, raws, checksums = served
    write_mnist_dir(tmp_path, raws)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(b"half a file")
    kept = (tmp_path / "train-images-idx3-ubyte.gz").stat().st_mtime_ns
    data.download_mnist(tmp_path, [url + "/good/"], checksums=checksums, progress=False)
    assert data.verify_directory(tmp_path, checksums) == dict.fromkeys(NAMES, "ok")
    assert (tmp_path / "train-images-idx3-ubyte.gz").stat().st_mtime_ns == kept


def one_file(checksums, name="t10k-labels-idx1-ubyte"):
    return {name: checksums[name]}


@pytest.mark.parametrize("bad", ["corrupt", "truncated", "cut"])
def test_a_corrupt_or_cut_download_names_no_vanished_file(tmp_path, served, bad):
    url, _, checksums = served
    with pytest.raises(DataError) as caught:
        data.download_mnist(
            tmp_path, [f"{url}/{bad}/"], checksums=one_file(checksums), progress=False
        )
    message = str(caught.value)
    assert ".download-" not in message and str(tmp_path) + "/." not in message
    expected = {
        "corrupt": "arrived but is not the expected one",
        "truncated": "arrived cut off or corrupt",
        "cut": "transfer cut off: got ",
    }[bad]
    assert expected in message and f"{url}/{bad}/t10k-labels-idx1-ubyte.gz" in message


def test_a_captive_portal_page_is_recognised(tmp_path, served):
    url, _, checksums = served
    for kind in ("portal", "garbage"):  # with and without a text/html Content-Type
        with pytest.raises(DataError) as caught:
            data.download_mnist(tmp_path, [f"{url}/{kind}/"], checksums=one_file(checksums))
        assert "sent a web page instead of the file" in str(caught.value)
        assert "log in" in str(caught.value) and "Checksum" not in str(caught.value)


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(errno.EACCES, "Permission denied"),
        OSError(errno.EROFS, "Read-only file system"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_a_read_only_cache_is_a_permission_problem_and_stops(tmp_path, served, monkeypatch, error):
    url, _, checksums = served

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # (the tests run as root: no chmod)
    before = len(served.requests)
    with pytest.raises(data.CacheNotWritable) as caught:
        data.download_mnist(tmp_path, [url + "/good/", url + "/good/"], checksums=checksums)
    message = str(caught.value)
    assert f"Cannot write to {tmp_path} ({error.strerror})" in message
    assert "not a network problem" in message and "--dir" in message
    assert len(served.requests) == before  # no mirror was even asked


def test_a_cache_folder_that_cannot_be_made_is_a_permission_problem(tmp_path, served):
    url, _, checksums = served
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(data.CacheNotWritable, match="Cannot write to .*a-file"):
        data.download_mnist(tmp_path / "a-file" / "mnist", [url + "/good/"], checksums=checksums)


def test_read_only_cache_falls_back_to_the_sample_saying_why(
    tmp_path, served, offline, monkeypatch
):
    url, _, checksums = served
    monkeypatch.setattr(data, "MNIST_SHA256", checksums)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    mnist = data.load_mnist(cache_dir=tmp_path, mirrors=[url + "/good/"], verbose=False)
    assert mnist.source == "sample" and "Cannot write to" in mnist.message


def test_the_fallback_hint_names_the_chosen_cache_folder(tmp_path, offline):
    chosen = tmp_path / "my-cache"
    mnist = data.load_mnist(cache_dir=chosen, download=False, verbose=False)
    assert f"copy the four MNIST .gz files into {chosen}" in mnist.message
    assert f"python -m course_utils.data download --dir {chosen}" in mnist.message
    default = data.load_mnist(sample=True, verbose=False).message
    assert f"into {data.CACHE_DIR}" in default and "--dir" not in default


def test_a_stalled_mirror_is_not_silent(tmp_path, served, capsys):
    url, _, checksums = served
    mirrors = [url + "/slow/", url + "/good/"]
    data.download_mnist(tmp_path, mirrors, timeout=0.3, checksums=one_file(checksums))
    printed = capsys.readouterr().out
    assert "t10k-labels-idx1-ubyte.gz from 127.0.0.1" in printed
    assert "waiting up to 0.3 s for an answer" in printed
    assert "failed: no answer within 0.3 s" in printed and "trying the next mirror" in printed
    quiet = tmp_path / "quiet"
    data.download_mnist(quiet, mirrors, timeout=0.3, checksums=one_file(checksums), progress=False)
    assert capsys.readouterr().out == ""


def test_stale_partial_downloads_are_cleaned_on_the_next_run(tmp_path, served):
    url, _, checksums = served
    stale, fresh = tmp_path / ".download-k1ll3d", tmp_path / ".download-running"
    stale.write_bytes(b"half of a file from a download killed an hour ago")
    fresh.write_bytes(b"another download, still running")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    data.download_mnist(tmp_path, [url + "/good/"], checksums=one_file(checksums), progress=False)
    assert not stale.exists() and fresh.exists()
    assert (tmp_path / "t10k-labels-idx1-ubyte.gz").is_file()


def test_verify_with_only_the_sample_is_fine(tmp_path, offline, monkeypatch, capsys):
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "cache")  # the default: nothing there
    assert data.main(["verify"]) == 0
    printed = capsys.readouterr().out
    assert "The shipped sample is fine" in printed and "The full set is optional" in printed
    assert "PROBLEM" not in printed and "missing" not in printed
    assert f"into {tmp_path / 'cache'}" in printed
    # A folder named for the full set (--dir or $MNIST_DIR) that is empty is a problem.
    assert data.main(["verify", "--dir", str(tmp_path)]) == 1
    assert "PROBLEM: missing" in capsys.readouterr().out
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.main(["verify"]) == 1


def test_verify_with_a_partial_full_set_is_a_problem(tmp_path, served, offline, capsys):
    _, raws, _ = served
    write_mnist_dir(tmp_path, {"t10k-labels-idx1-ubyte": raws["t10k-labels-idx1-ubyte"]})
    assert data.main(["verify", "--dir", str(tmp_path)]) == 1
    printed = capsys.readouterr().out
    assert "PROBLEM: missing" in printed and "incomplete or corrupt" in printed


@pytest.fixture
def damaged_sample(tmp_path, monkeypatch):
    """A copy of the shipped sample with one file damaged, used instead of the real one."""
    copy = tmp_path / "mnist-sample"
    shutil.copytree(data.SAMPLE_DIR, copy)
    victim = data.find_file(copy, "t10k-labels-idx1-ubyte")
    victim.write_bytes(victim.read_bytes()[:-20])
    monkeypatch.setattr(data, "SAMPLE_DIR", copy)
    return copy


def test_a_damaged_sample_says_restore_the_course_folder(damaged_sample, tmp_path, offline):
    for call in (
        lambda: data.load_mnist(sample=True),
        lambda: data.load_mnist(cache_dir=tmp_path / "empty", download=False),
    ):
        with pytest.raises(DataError) as caught:
            call()
        message = str(caught.value)
        assert f"The shipped MNIST sample in {damaged_sample} is damaged" in message
        assert "restore the course folder" in message and "git checkout -- data/mnist-sample" in (
            message
        )
        assert "(t10k-labels-idx1-ubyte unreadable)" in message  # the cut gzip file
        assert "download it again" not in message and "python -m course_utils.data" not in message


def test_verify_reports_a_damaged_sample(damaged_sample, tmp_path, offline, monkeypatch, capsys):
    monkeypatch.setattr(data, "CACHE_DIR", tmp_path / "cache")
    assert data.main(["verify"]) == 1
    printed = capsys.readouterr().out
    assert "The shipped sample is damaged" in printed and "restore the course folder" in printed
    assert "The shipped sample is fine" not in printed


# ---------------------------------------------------------------- load_mnist


def test_no_network_falls_back_to_sample(tmp_path, closed_port_url, offline, capsys):
    mnist = data.load_mnist(cache_dir=tmp_path, mirrors=[closed_port_url], timeout=1)
    assert mnist.source == "sample"
    assert mnist.x_train.shape == (4000, 28, 28)
    printed = capsys.readouterr().out
    assert "SAMPLE" in printed and "download failed" in printed
    assert "python -m course_utils.data download" in printed and data.ENV_VAR in printed
    assert [p for p in tmp_path.iterdir()] == []


def test_no_download_wanted(tmp_path, offline):
    mnist = data.load_mnist(cache_dir=tmp_path, download=False, verbose=False)
    assert mnist.source == "sample" and "download=False" in mnist.message


def test_download_then_cache(tmp_path, served, offline, monkeypatch):
    url, _, checksums = served
    monkeypatch.setattr(data, "MNIST_SHA256", checksums)
    first = data.load_mnist(cache_dir=tmp_path, mirrors=[url + "/good/"], verbose=False)
    assert first.source == "download" and first.x_train.shape == (60, 28, 28)
    second = data.load_mnist(cache_dir=tmp_path, mirrors=["http://127.0.0.1:1/"], verbose=False)
    assert second.source == "cache"
    np.testing.assert_array_equal(first.x_test, second.x_test)


def test_damaged_cache_is_downloaded_again(tmp_path, served, offline, monkeypatch):
    url, raws, checksums = served
    monkeypatch.setattr(data, "MNIST_SHA256", checksums)
    write_mnist_dir(tmp_path, raws)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"not mnist"))
    mnist = data.load_mnist(cache_dir=tmp_path, mirrors=[url + "/good/"], verbose=False)
    assert mnist.source == "download" and mnist.x_test.shape == (20, 28, 28)


def test_explicit_directory_and_environment_variable(tmp_path, served, monkeypatch, capsys):
    _, raws, checksums = served
    monkeypatch.setattr(data, "MNIST_SHA256", checksums)
    usb = tmp_path / "usb-stick"
    write_mnist_dir(usb, raws)
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    assert data.load_mnist(usb).source == "directory"
    assert "checksums OK" in capsys.readouterr().out
    monkeypatch.setenv(data.ENV_VAR, str(usb))
    mnist = data.load_mnist(verbose=False)
    assert mnist.source == "directory" and mnist.directory == usb


def test_incomplete_explicit_directory_is_an_error(tmp_path, offline):
    with pytest.raises(DataError, match="has no train-images-idx3-ubyte"):
        data.load_mnist(tmp_path)


def test_command_line(tmp_path, served, offline, monkeypatch, capsys):
    url, _, checksums = served
    monkeypatch.setattr(data, "MNIST_SHA256", checksums)
    args = ["download", "--dir", str(tmp_path / "m"), "--mirror", url + "/good/"]
    assert data.main(args) == 0
    assert data.main(["verify", "--dir", str(tmp_path / "m")]) == 0
    assert data.main(["info", "--dir", str(tmp_path / "m")]) == 0
    assert "would use the full set" in capsys.readouterr().out
    assert data.main(["download", "--dir", str(tmp_path / "n"), "--mirror", url + "/cut/"]) == 1


# ---------------------------------------------------------------- image folders


def jpeg_bytes(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_image_folder_reads_kaggle_layout(tmp_path, capsys):
    rng = np.random.default_rng(0)
    root = tmp_path / "trainingSet"
    classes = root / "trainingSet"
    for digit in range(3):
        folder = classes / str(digit)
        folder.mkdir(parents=True)
        for k in range(2):
            digit_image = rng.integers(0, 256, (28, 28), dtype=np.uint8)
            Image.fromarray(digit_image).save(folder / f"img_{digit}{k}.jpg")
            Image.fromarray(digit_image).save(folder / f"img_{digit}{k}.png")
    (classes / "1" / "broken.jpg").write_bytes(jpeg_bytes(np.zeros((28, 28), np.uint8))[:200])
    (classes / "2" / "notes.txt").write_text("these are twos")
    (classes / "2" / "random.png").write_bytes(rng.bytes(300))
    Image.new("RGB", (40, 30), (200, 10, 10)).save(classes / "0" / "big_rgb.png")
    (classes / "0" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")

    for given in (root, classes):
        result = images.load_image_folder(given)
        assert result.class_names == ["0", "1", "2"]
        assert result.images.shape == (13, 28, 28) and result.images.dtype == np.uint8
        assert list(np.bincount(result.labels)) == [5, 4, 4]
        assert sorted(p.name for p, _ in result.skipped) == [
            "broken.jpg",
            "notes.txt",
            "random.png",
        ]
    printed = capsys.readouterr().out
    assert "Skipped 3 files" in printed and "notes.txt" in printed
    assert "mode RGB -> L" in printed and "size 40x30 -> 28x28" in printed


def test_image_folder_options_and_errors(tmp_path):
    for name in ["2", "10", "9"]:
        (tmp_path / "root" / name).mkdir(parents=True)
        Image.new("L", (28, 28), 0).save(tmp_path / "root" / name / "a.png")
        Image.new("L", (28, 28), 9).save(tmp_path / "root" / name / "b.png")
    result = images.load_image_folder(tmp_path / "root", max_per_class=1, verbose=False)
    assert result.class_names == ["2", "9", "10"] and len(result.images) == 3
    rgb = images.load_image_folder(tmp_path / "root", size=(8, 6), mode="RGB", verbose=False)
    assert rgb.images.shape == (6, 6, 8, 3)
    with pytest.raises(DataError, match="not a folder"):
        images.load_image_folder(tmp_path / "nowhere")
    with pytest.raises(DataError, match="one sub-folder per class"):
        images.load_image_folder(tmp_path / "root" / "2")


def test_shipped_png_digits_match_the_sample():
    result = images.load_image_folder(data.DATA_DIR / "mnist-images", verbose=False)
    assert result.images.shape == (100, 28, 28) and not result.skipped
    sample = data.load_mnist(sample=True, verbose=False)
    first_sevens = sample.x_test[sample.y_test == 7][:10]
    np.testing.assert_array_equal(result.images[result.labels == 7], first_sevens)


# ---------------------------------------------------------------- your own digit


def drawing(width=300, height=200, left=40, top=30, scale=1.0, ink=0, paper=255, mode="L"):
    """A thick "7" drawn on paper: the kind of picture a learner uploads."""
    image = Image.new(mode, (width, height), paper)
    s = 60 * scale
    points = [(left, top), (left + s, top), (left + 0.3 * s, top + 1.6 * s)]
    ImageDraw.Draw(image).line(points, fill=ink, width=max(2, round(12 * scale)), joint="curve")
    return image


def centre_of_mass(digit):
    rows, cols = np.indices(digit.shape)
    return (rows * digit).sum() / digit.sum(), (cols * digit).sum() / digit.sum()


def check_mnist_style(digit):
    assert digit.shape == (28, 28) and digit.dtype == np.uint8
    row, col = centre_of_mass(digit.astype(float))
    assert abs(row - 13.5) <= 1 and abs(col - 13.5) <= 1
    rows = np.flatnonzero(digit.any(axis=1))
    cols = np.flatnonzero(digit.any(axis=0))
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (19, 20, 21)  # the 20x20 box
    assert digit.max() >= 200 and digit[0].max() == 0 and digit[:, -1].max() == 0


def test_own_digit_is_centred_whatever_the_position_and_size():
    reference = images.prepare_own_digit(drawing())
    check_mnist_style(reference)
    for left, top, scale in [(200, 5, 0.5), (5, 60, 1.6), (150, 80, 0.9)]:
        digit = images.prepare_own_digit(drawing(600, 400, left, top, scale))
        check_mnist_style(digit)
        assert np.abs(digit.astype(int) - reference).mean() < 12


def test_own_digit_white_on_black_and_grey_paper():
    reference = images.prepare_own_digit(drawing())
    blue_on_cream = drawing(ink=(20, 20, 90), paper=(250, 240, 200), mode="RGB")
    black_on_red = drawing(ink=(0, 0, 0), paper=(255, 0, 0), mode="RGB")
    for picture in [
        drawing(ink=255, paper=0),
        drawing(ink=40, paper=170),
        blue_on_cream,
        black_on_red,
    ]:
        digit = images.prepare_own_digit(picture)
        check_mnist_style(digit)
        assert np.abs(digit.astype(int) - reference).mean() < 8
    forced = images.prepare_own_digit(drawing(ink=255, paper=0), invert=False)
    np.testing.assert_array_equal(forced, images.prepare_own_digit(drawing(ink=255, paper=0)))


def test_own_digit_rgba_with_ink_only_in_alpha():
    reference = images.prepare_own_digit(drawing())
    for colour in [(0, 0, 0), (255, 255, 255), (30, 60, 200)]:
        picture = drawing(mode="RGBA", ink=colour + (255,), paper=(0, 0, 0, 0))
        digit = images.prepare_own_digit(picture)
        check_mnist_style(digit)
        assert np.abs(digit.astype(int) - reference).mean() < 8


def test_own_digit_from_files_bytes_and_arrays(tmp_path):
    reference = images.prepare_own_digit(drawing())
    drawing().save(tmp_path / "seven.png")
    from_path = images.prepare_own_digit(tmp_path / "seven.png")
    from_bytes = images.prepare_own_digit((tmp_path / "seven.png").read_bytes())
    from_floats = images.prepare_own_digit(np.asarray(drawing(), dtype=np.float32) / 255)
    from_upload = images.prepare_own_digit(memoryview((tmp_path / "seven.png").read_bytes()))
    for digit in (from_path, from_bytes, from_floats, from_upload):
        np.testing.assert_array_equal(digit, reference)
    digit, steps = images.prepare_own_digit(drawing(), return_steps=True)
    assert list(steps)[1:8] == ["grayscale", "ink", "digit", "widened", "cropped", "20x20", "28x28"]
    assert steps["picture"].shape[:2] == steps["grayscale"].shape
    assert max(steps["20x20"].shape) == 20


def test_own_digit_huge_photo(tmp_path):
    photo = drawing(6000, 4000, 2500, 1200, 15, ink=(40, 40, 50), paper=(235, 230, 220), mode="RGB")
    photo.save(tmp_path / "huge.jpg", quality=90)
    digit = images.prepare_own_digit(tmp_path / "huge.jpg")  # decoded at reduced size
    check_mnist_style(digit)


def test_own_digit_clear_errors(tmp_path):
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(DataError, match="Could not read .*notes.txt.* Expected a photo"):
        images.prepare_own_digit(tmp_path / "notes.txt")
    with pytest.raises(DataError, match="Could not read the uploaded data"):
        images.prepare_own_digit(b"%PDF-1.4 ...")
    with pytest.raises(DataError, match="no file"):
        images.prepare_own_digit(tmp_path / "missing.png")
    with pytest.raises(DataError, match="Found no digit"):
        images.prepare_own_digit(Image.new("L", (100, 100), 255))
    with pytest.raises(DataError, match="Found no digit"):
        images.prepare_own_digit(Image.new("RGBA", (50, 50), (0, 0, 0, 0)))
    with pytest.raises(DataError, match="shape"):
        images.prepare_own_digit(np.zeros((2, 3, 4, 5)))
    with pytest.raises(DataError, match="shape"):
        images.prepare_own_digit(np.zeros((20, 30, 2)))
    assert issubclass(DataError, ValueError)


def test_a_non_image_is_refused_without_a_memory_address():
    with pytest.raises(DataError, match="not an image format") as caught:
        images.prepare_own_digit(b"this is a text file, not a picture")
    assert "0x" not in str(caught.value)


@pytest.mark.parametrize("shadow", [0.3, 0.5])
def test_a_gradual_shadow_on_the_paper_is_not_ink(shadow):
    clean = drawing(600, 400, 250, 120, scale=2.0)
    light = np.linspace(1.0, 1.0 - shadow, 600)[None, :]  # darker towards the right edge
    shadowed = Image.fromarray((np.asarray(clean, dtype=float) * light).astype(np.uint8))
    expected = images.prepare_own_digit(clean).astype(float).ravel()
    digit = images.prepare_own_digit(shadowed)
    check_mnist_style(digit)
    assert np.corrcoef(expected, digit.astype(float).ravel())[0, 1] > 0.9


# ---------------------------------------------------------------- weights files


@pytest.fixture
def network():
    from course_utils import MLP

    return MLP([6, 4, 3], seed=1)


def test_weights_round_trip_and_clear_errors_for_files_that_are_not_weights(tmp_path, network):
    from course_utils import MLP

    network.save(tmp_path / "good.npz")
    loaded = MLP([6, 4, 3], seed=99).load(tmp_path / "good.npz")
    for name, value in network.state_dict().items():
        np.testing.assert_array_equal(loaded.state_dict()[name], value)

    (tmp_path / "notes.npz").write_text("epochs: 15\nlearning rate: 0.05\n")
    with pytest.raises(DataError, match=r"notes.npz is not a weights file .*text file") as caught:
        network.load(tmp_path / "notes.npz")
    assert "pickle" not in str(caught.value)

    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(DataError, match=r"empty.npz is empty \(0 bytes\)"):
        network.load(tmp_path / "empty.npz")

    np.save(tmp_path / "one.npy", np.zeros(3))
    with pytest.raises(DataError, match="one bare NumPy array"):
        network.load(tmp_path / "one.npy")

    (tmp_path / "binary.npz").write_bytes(bytes(range(256)))
    with pytest.raises(DataError, match="starts with the bytes"):
        network.load(tmp_path / "binary.npz")

    with pytest.raises(DataError, match="There is no weights file .*missing.npz"):
        network.load(tmp_path / "missing.npz")

    raw = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="cut.npz cannot be read as weights .*cut off or corrupt"):
        network.load(tmp_path / "cut.npz")


def test_weights_of_another_network_stay_a_shape_error(tmp_path, network):
    from course_utils import MLP
    from course_utils.errors import ShapeError

    MLP([6, 5, 3]).save(tmp_path / "wider.npz")
    with pytest.raises(ShapeError, match="build the same architecture"):
        network.load(tmp_path / "wider.npz")
