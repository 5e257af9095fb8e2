"""The hashes that name things: a file's bytes, and everything a render depends on."""

from __future__ import annotations

import hashlib
import json


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_key(*parts: object) -> str:
    """A stable hash of everything a render depends on."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return digest(blob)
