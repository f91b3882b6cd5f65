"""Download one file safely: to a temporary file, checked, then renamed into place.

Every way a download goes wrong gets a message that says what happened: a web page instead of
the file (a Wi-Fi login), a cut-off or corrupt file, a folder that cannot be written (not a
network problem), a stalled server. data.download_mnist uses this for the four MNIST files.
"""

import errno
import gzip
import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from tqdm.auto import tqdm

from course_utils.errors import DataError
from course_utils.idx import sha256_hex


class CacheNotWritable(DataError):
    """The download folder cannot be written (read-only, no permission, full): not the network."""


# errno values that mean "this folder cannot take the file" rather than "the network failed".
LOCAL_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}
STALE_SECONDS = 600  # a .download-* file untouched this long was left by a killed download


def cannot_write(directory, err):
    """The CacheNotWritable error for `directory`, from the OSError that showed it."""
    return CacheNotWritable(
        f"Cannot write to {directory} ({err.strerror or err}): the folder is read-only, not "
        "yours or full. This is not a network problem, so no mirror was tried further. "
        "Download into a folder you can write to: load_mnist(cache_dir=...) or "
        "`python -m course_utils.data download --dir FOLDER`, then use that folder."
    )


def fetch(url, destination, expected_sha256, timeout=30, progress=True):
    """Download `url` (a .gz file) to `destination`, only if its contents pass the checksum.

    The bytes go to a temporary file next to `destination`, which is renamed only after the
    check passed; on any failure (or Ctrl-C) the temporary file is deleted and the error raised.
    Raises CacheNotWritable if the folder cannot take the file, DataError if what arrived is
    not the file (cut off, corrupt, a web page), OSError for network errors.
    """
    destination = Path(destination)
    try:
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".download-")
    except OSError as err:
        raise cannot_write(destination.parent, err) from None
    try:
        with os.fdopen(handle, "wb") as out:
            request = urllib.request.Request(url, headers={"User-Agent": "hands-on-dl"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                expected_length = int(response.headers.get("Content-Length") or 0)
                content_type = response.headers.get("Content-Type") or ""
                received = copy_with_progress(response, out, expected_length, url, progress)
        if expected_length and received != expected_length:
            raise DataError(f"transfer cut off: got {received:,} of {expected_length:,} bytes")
        check_download(Path(temporary).read_bytes(), expected_sha256, content_type)
        os.replace(temporary, destination)  # atomic: the file appears complete or not at all
    except OSError as err:
        if err.errno in LOCAL_ERRNOS and not isinstance(err, urllib.error.URLError):
            raise cannot_write(destination.parent, err) from None
        raise
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def check_download(raw, expected_sha256, content_type=""):
    """Raise DataError saying what arrived if `raw` is not the expected (gzipped) IDX file."""
    start = raw[:1024].lstrip().lower()
    if "html" in content_type.lower() or start.startswith((b"<!doctype html", b"<html")):
        raise DataError(
            "the server sent a web page instead of the file: the network probably wants you "
            "to log in first (a Wi-Fi login page, captive portal or proxy). Open any web page "
            "in a browser, log in or accept, then try again"
        )
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise DataError(f"the file arrived cut off or corrupt (gzip: {err})") from None
    actual = sha256_hex(raw)
    if actual != expected_sha256:
        raise DataError(
            f"the file arrived but is not the expected one (SHA-256 {actual[:12]}..., expected "
            f"{expected_sha256[:12]}...): corrupted on the way or changed on the mirror"
        )


def remove_stale_downloads(directory, older_than=STALE_SECONDS):
    """Delete .download-* files that a killed download left behind; return how many."""
    removed = 0
    for path in Path(directory).glob(".download-*"):
        try:
            if time.time() - path.stat().st_mtime > older_than:
                path.unlink()
                removed += 1
        except OSError:  # gone meanwhile, or not ours to delete: leave it
            pass
    return removed


def copy_with_progress(response, out, total, label, progress):
    """Copy a response to a file in 1 MiB chunks with a progress bar; return the byte count."""
    received = 0
    name = label.rsplit("/", 1)[-1]
    with tqdm(
        total=total or None, unit="B", unit_scale=True, desc=name, disable=not progress
    ) as bar:
        while chunk := response.read(1 << 20):
            out.write(chunk)
            received += len(chunk)
            bar.update(len(chunk))
    return received


# The ways a download can fail; each makes us try the next mirror.
DOWNLOAD_ERRORS = (OSError, http.client.HTTPException, DataError, EOFError, zlib.error)


def describe_failure(err, timeout):
    """A download error in a few words: a timeout says how long we waited."""
    reason = getattr(err, "reason", None)  # urllib wraps connection errors in URLError
    if isinstance(err, TimeoutError) or isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s (the server or the network is stalled)"
    return str(err)
