"""Reading a document's bytes: regular UTF-8 files only, never blocking, with clear refusals.

A FIFO, a device, a socket or a folder is refused before it is opened (and the
file is opened without blocking, in case it was swapped in between).  A UTF-8
byte-order mark is dropped; UTF-16/32, with a mark or recognisable without one,
and other files with NUL bytes are refused with what they look like and how to
convert them.  CRLF and CR line ends become ``\\n``.
"""

from __future__ import annotations

import os
import stat

from calcproof.errors import InputError

MAX_FILE_CHARS = 1_000_000
_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_CONVERT = "calcproof reads UTF-8: convert it, e.g. `iconv -f {0} -t UTF-8`"


def read_text(path: str) -> str:
    """The file's text, line ends made ``\\n``; anything but a UTF-8 regular file is an error.

    Non-regular files (a FIFO, a device, a folder) are refused before they are
    opened, and the file is opened without blocking, so that no input can hang
    the reader.  A UTF-8 byte-order mark is dropped; UTF-16/32 (with or without
    a mark) and other binary files are refused with a message saying so.
    """
    raw = _read_bytes(path)
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    for mark, encoding in _BOMS:
        if raw.startswith(mark):
            name = encoding.split()[0]
            raise InputError(f"the file is {encoding} text; {_CONVERT.format(name)}", path)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(_nul_message(raw), f"{path}:{line}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            "the file is not UTF-8 text (calcproof reads UTF-8; convert it, e.g. with iconv)",
            f"{path}:{line}",
        ) from None
    if len(text) > MAX_FILE_CHARS:
        raise InputError(f"the file is larger than {MAX_FILE_CHARS} characters", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: str) -> bytes:
    """At most ``4 * MAX_FILE_CHARS + 1`` bytes of the regular file at ``path``."""
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind:
            raise InputError(kind, path)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None
    with os.fdopen(fd, "rb") as handle:
        kind = _kind(os.fstat(fd).st_mode)  # replaced between stat and open
        if kind:
            raise InputError(kind, path)
        try:
            return handle.read(MAX_FILE_CHARS * 4 + 1)
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None


def _kind(mode: int) -> str:
    """Why a file that is not a regular file is refused (``""`` for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder with no .tex or .md file in it (check searches folders for them)"
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))
    kind = next((name for test, name in kinds if test(mode)), "a device or special file")
    return f"{kind}, not a regular file: calcproof reads .tex and Markdown files"


def _nul_message(raw: bytes) -> str:
    """NUL bytes: UTF-16/32 without a byte-order mark when they fill the high bytes."""
    sample = raw[:4096]
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        for order, low in (("LE", 0), ("BE", width - 1)):
            high = [b for i, b in enumerate(sample) if i % width != low]
            if high and high.count(0) >= 0.9 * len(high):
                encoding = f"{name}{order}"
                return (
                    f"the file looks like {encoding} text without a byte-order mark; "
                    + _CONVERT.format(encoding)
                )
    return "the file contains NUL bytes (a binary file?); calcproof reads UTF-8 text"
