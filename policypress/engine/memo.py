"""Remember the results of pure, costly steps (reading a PO file, converting a document's
Markdown) between builds, keyed by the hash of everything they read."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from policypress.engine.cache import ObjectCache, digest

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent.parent


def code_fingerprint(*relative: str) -> str:
    """A hash of policypress's own source files, so a new version never reuses old results."""
    return digest(b"".join((_PACKAGE / name).read_bytes() for name in relative))


def memoised(cache: ObjectCache, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or the result it gave last time for the same ``key``."""
    sha = cache.lookup(key)
    if sha is not None:
        try:
            value: T = pickle.loads(cache.get(sha))
            return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or outdated entry: compute it again
    value = compute()
    cache.remember(key, cache.put(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
    return value
