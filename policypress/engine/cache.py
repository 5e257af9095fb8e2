"""A content-addressed store: rendered outputs by the hash of their inputs, files by their bytes."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

CACHE_DIR = ".policypress-cache"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ObjectCache:
    """Objects live at ``objects/ab/abcdef…`` (named by the sha256 of their bytes); ``keys/``
    maps an input key (the hash of everything a render reads) to the object it produced."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.objects = folder / "objects"
        self.keys = folder / "keys"

    def object_path(self, sha: str) -> Path:
        return self.objects / sha[:2] / sha

    def put(self, data: bytes) -> str:
        sha = digest(data)
        path = self.object_path(sha)
        if not path.exists():
            _atomic_write(path, data)
        return sha

    def get(self, sha: str) -> bytes:
        return self.object_path(sha).read_bytes()

    def lookup(self, key: str) -> str | None:
        """The object a render with this input key produced before, if it is still here."""
        path = self.keys / key[:2] / key
        try:
            sha = path.read_text(encoding="ascii").strip()
        except OSError:
            return None
        return sha if self.object_path(sha).exists() else None

    def remember(self, key: str, sha: str) -> None:
        _atomic_write(self.keys / key[:2] / key, sha.encode("ascii"))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # published files must be readable by the web server
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def input_key(*parts: object) -> str:
    """A stable hash of everything a render depends on."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return digest(blob)
