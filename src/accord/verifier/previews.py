"""Short, safe renderings of bodies for reports.

A mismatch may carry a whole image, or bytes that are not UTF-8 where text was declared. Reports
(console, JSON, JUnit, pytest, the broker's ``testResults``) show such values as a preview with
their length — ``<12296 bytes: 89 50 4e 47 0d 0a 1a 0a …>`` — never the whole body or its Base64,
and never raw control characters, which break terminals and make JUnit XML unreadable.
"""

import re
from typing import Final

#: how many leading bytes a preview shows in hex
PREVIEW_BYTES: Final = 16
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def byte_preview(data: bytes | bytearray, *, limit: int = PREVIEW_BYTES) -> str:
    """``<N bytes: 89 50 4e 47 …>``: the length and the first ``limit`` bytes in hex."""
    shown = " ".join(f"{byte:02x}" for byte in data[:limit])
    more = " …" if len(data) > limit else ""
    return f"<{len(data)} bytes: {shown}{more}>"


def printable(text: str) -> str:
    """``text`` with control characters (except tab and newline) and lone surrogates written as
    ``\\xNN`` / ``\\uNNNN`` escapes, so a report line is safe in a terminal and in XML."""

    def escape(found: re.Match[str]) -> str:
        code = ord(found.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)
