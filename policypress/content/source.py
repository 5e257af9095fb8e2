"""Read a text file the office wrote, with clear errors for bad bytes or an empty file."""

from __future__ import annotations

from pathlib import Path

from policypress.errors import PolicyError

# Limits on one document, documented in the README and the accessibility statement. They keep a
# build to minutes: a policy of 1 MB is already several hundred printed pages in each format.
MAX_SOURCE_BYTES = 1_000_000
MAX_TABLE_ROWS = 1_000
MAX_NESTING = 16  # lists and quotes inside each other


def read_text(path: Path, *, allow_empty: bool = False, max_bytes: int | None = None) -> str:
    """Return the file's text (UTF-8, a leading BOM dropped, line endings made ``\\n``)."""
    if max_bytes is not None:
        size = path.stat().st_size
        if size > max_bytes:
            raise PolicyError(
                f"this file is {size / 1_000_000:.1f} MB; the limit is "
                f"{max_bytes / 1_000_000:g} MB per document",
                path,
                hint="Split it into several policies, or publish long data (tables, lists) "
                "as a separate document on the school website and link to it.",
            )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyError(
            f"this file is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be read",
            path,
            line,
            col,
            hint="Open the file in your editor and save it with the UTF-8 encoding "
            "(in Word: Save As > Plain Text > Unicode (UTF-8)).",
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not allow_empty and not text.strip():
        raise PolicyError(
            "this file is empty",
            path,
            1,
            hint="Write the policy in it (at least a front matter block with a title), "
            "or delete the file.",
        )
    return text
