"""One build of an output folder at a time: an advisory lock (``flock``) on a small file beside
the folder. The operating system releases it when its holder ends, however it ends, so a
killed build never leaves a lock behind that the next build must guess about."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from policypress.errors import PolicyError


def lock_path(output: Path) -> Path:
    """Beside the output, not in it (the output folder is swapped whole) nor in the cache (two
    caches may build into one folder)."""
    return output.parent / f".{output.name}.policypress-lock"


@contextmanager
def output_lock(output: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``output`` for the ``with`` block; if another build (another process,
    or another thread of the preview) holds it, call ``on_wait`` with a message and wait."""
    path = lock_path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise PolicyError(
            f"policypress cannot write beside the output folder ({error.strerror})",
            output,
            hint="Nothing was changed. Choose an output folder (-o/--output) in a place you "
            "can write to; policypress builds the new output beside the old one, then swaps.",
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"waiting for another build of {output} to finish…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
