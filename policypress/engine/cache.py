"""A content-addressed store: rendered outputs by the hash of their inputs, files by their bytes.
Nothing is reused without being checked against its name: a damaged or edited object is thrown
away and made again, never published."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from policypress.hashing import digest

CACHE_DIR = ".policypress-cache"
PROJECT_ID = "project-id"

_SHA256 = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[0-9a-f]{32}")


# Files this process has hashed, by path: (device, inode, size, mtime, ctime) when they matched.
# A write to a file always moves its ctime to the present, and no tool can set it back, so an
# unchanged ctime means unchanged bytes: a preview rebuild or a test run need not hash again.
_VERIFIED: dict[str, tuple[str, tuple[int, int, int, int, int]]] = {}
_SETTLED_NS = 2_000_000_000  # younger files are hashed every time (timestamps are coarse)


def file_has_digest(path: Path, sha: str) -> bool:
    """Whether the file at ``path`` holds bytes whose sha256 is ``sha`` (hashing it, unless this
    process hashed it before and nothing has written to it since)."""
    try:
        info = path.stat()
    except OSError:
        return False
    facts = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if _VERIFIED.get(str(path)) == (sha, facts):
        return True
    try:
        with path.open("rb") as handle:
            data = handle.read()
            info = os.fstat(handle.fileno())
    except OSError:
        return False
    if digest(data) != sha:
        return False
    facts = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if time.time_ns() - info.st_ctime_ns > _SETTLED_NS:
        _VERIFIED[str(path)] = (sha, facts)
    return True


class ObjectCache:
    """Objects live at ``objects/ab/abcdef…`` (named by the sha256 of their bytes, stored read
    only); ``keys/`` maps an input key (the hash of everything a render reads) to the object it
    produced. Every write is atomic, so builds running at once may share one cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.objects = folder / "objects"
        self.keys = folder / "keys"

    def object_path(self, sha: str) -> Path:
        if not _SHA256.fullmatch(sha):
            raise ValueError(f"not a sha256: {sha!r}")
        return self.objects / sha[:2] / sha

    def put(self, data: bytes) -> str:
        sha = digest(data)
        path = self.object_path(sha)
        if not file_has_digest(path, sha):
            _atomic_write(path, data, 0o444)  # read only: nobody edits an object by mistake
        return sha

    def read(self, sha: str) -> bytes | None:
        """The bytes of object ``sha``, or None if it is missing or no longer matches its name
        (then it is removed, so it is made again)."""
        if not _SHA256.fullmatch(sha):
            return None
        path = self.object_path(sha)
        try:
            with path.open("rb") as handle:
                data = handle.read()
                inode = os.fstat(handle.fileno()).st_ino
        except OSError:
            return None
        if digest(data) != sha:
            with contextlib.suppress(OSError):
                if path.stat().st_ino == inode:  # not one a build put right meanwhile
                    path.unlink()
            return None
        return data

    def get(self, sha: str) -> bytes:
        data = self.read(sha)
        if data is None:
            raise FileNotFoundError(f"cache object {sha} is missing or damaged")
        return data

    def holds(self, sha: str) -> bool:
        """Whether object ``sha`` is here, intact (a damaged one is removed)."""
        if not _SHA256.fullmatch(sha):
            return False
        return file_has_digest(self.object_path(sha), sha) or self.read(sha) is not None

    def lookup(self, key: str) -> str | None:
        """The object a render with this input key produced before, if it is still here and
        intact."""
        sha = self._key_target(key)
        return sha if sha is not None and self.holds(sha) else None

    def load(self, key: str) -> bytes | None:
        """The bytes :meth:`lookup` would point to, checked, read once."""
        sha = self._key_target(key)
        return None if sha is None else self.read(sha)

    def remember(self, key: str, sha: str) -> None:
        _atomic_write(self.keys / key[:2] / key, sha.encode("ascii"), 0o644)

    def _key_target(self, key: str) -> str | None:
        try:
            sha = (self.keys / key[:2] / key).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return sha if _SHA256.fullmatch(sha) else None

    def project_id(self) -> str:
        """A random name for the project this cache belongs to, made once: the writer marks the
        project's builds with it, so it never replaces a folder another project built."""
        path = self.folder / PROJECT_ID
        try:
            found = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            found = ""
        if _ID.fullmatch(found):
            return found
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(16) + "\n")
            if found:
                os.replace(tmp, path)  # a damaged one
            else:
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, path)  # never replaces the one a build made meanwhile
        finally:
            Path(tmp).unlink(missing_ok=True)
        return path.read_text(encoding="ascii").strip()


def _atomic_write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
