"""Remember the results of pure, costly steps (reading a PO file, converting a document's
Markdown) between builds, keyed by the hash of everything they read."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from typing import TypeVar

from policypress.engine.cache import ObjectCache

T = TypeVar("T")
log = logging.getLogger(__name__)


def memoised(cache: ObjectCache, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or the result it gave last time for the same ``key``. Builds running at
    once may compute the same entry; each writes it whole (atomically), so either may win."""
    data = cache.load(key)  # checked against its hash: a damaged entry is not here
    if data is not None:
        try:
            value: T = pickle.loads(data)
            return value
        except Exception:  # an entry pickled by older code (a class since changed): redo it
            log.debug("memoised entry %s could not be loaded; computing it again", key)
    value = compute()
    cache.remember(key, cache.put(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
    return value
