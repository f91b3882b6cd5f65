"""IDX files, the format MNIST is distributed in: read, write, and check a SHA-256.

The IDX format (http://yann.lecun.com/exdb/mnist/) is: two zero bytes, one byte for the
type of the numbers, one byte for the number of dimensions, then each dimension's size
as a 4-byte big-endian integer, then the numbers themselves, big-endian.
"""

import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np

from course_utils.errors import DataError

# IDX type byte -> NumPy dtype (big-endian, as the format stores it).
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_bytes(path):
    """Return the contents of `path` as bytes, decompressed if it is a gzip file."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":  # every gzip file starts with these two bytes
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise DataError(
                f"{path} looks like a gzip file but cannot be decompressed ({err}). "
                "It is probably cut off or corrupt: delete it and download it again."
            ) from err
    return raw


def parse_idx(raw, name="IDX data"):
    """Turn the bytes of an IDX file into a NumPy array (native byte order).

    MNIST images come back as uint8 with shape (N, 28, 28), labels as uint8 with shape (N,).
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_DTYPES:
        raise DataError(
            f"{name} is not an IDX file: it should start with two zero bytes and a type byte, "
            f"but starts with {raw[:4]!r}. Check that you picked the right file."
        )
    dtype = IDX_DTYPES[raw[2]]
    ndim = raw[3]
    header_size = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected_size = header_size + dtype.itemsize * int(np.prod(shape))
    if len(raw) != expected_size:
        raise DataError(
            f"{name} has {len(raw)} bytes, but its header (shape {shape}, {dtype}) needs "
            f"{expected_size}. The file is cut off or corrupt: download it again."
        )
    array = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="))  # a writable copy in the machine's order


def idx_bytes(array):
    """Return the bytes of an IDX file holding `array` (the inverse of parse_idx)."""
    array = np.asarray(array)
    for code, dtype in IDX_DTYPES.items():
        if array.dtype.kind == dtype.kind and array.dtype.itemsize == dtype.itemsize:
            header = bytes([0, 0, code, array.ndim])
            header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
            return header + array.astype(dtype).tobytes()
    raise DataError(
        f"IDX files cannot store dtype {array.dtype}. "
        "Convert first, e.g. array.astype(np.uint8) or array.astype(np.float32)."
    )


def read_idx(path):
    """Read an IDX file (plain or .gz) into a NumPy array."""
    return parse_idx(read_bytes(path), name=str(path))


def write_idx(path, array):
    """Write `array` as an IDX file; gzip-compressed if `path` ends in .gz."""
    raw = idx_bytes(array)
    if str(path).endswith(".gz"):
        raw = gzip.compress(raw, mtime=0)  # mtime=0: the same array gives the same bytes
    Path(path).write_bytes(raw)


def sha256_hex(raw):
    """SHA-256 of some bytes, as 64 hex digits."""
    return hashlib.sha256(raw).hexdigest()


def check_sha256(raw, expected, name):
    """Raise DataError if the SHA-256 of `raw` is not `expected`."""
    actual = sha256_hex(raw)
    if actual != expected:
        raise DataError(
            f"Checksum mismatch for {name}: expected SHA-256 {expected}, got {actual}. "
            "The file is corrupt or a different file: delete it and download it again "
            "(python -m course_utils.data download)."
        )
