"""The whole-build stamp: a cheap record of everything a build's output depends on (every input
file's name, size and times, policypress's own files, the libraries, the options, the date, the
environment) and of every file it published. A build whose stamp is what the last successful
build stored has nothing to do, and says so without reading or importing anything heavy: the
command line checks it before it imports Jinja2, Markdown or WeasyPrint.

Taken in two halves: the inputs before the build reads them (an edit made while it runs shows
next time), the output after it was published. A file written so recently that a later write
could keep its size and times (timestamps are coarse) is also hashed; any doubt means no stamp."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import datetime as dt
import hashlib
import json
import os
import site
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress import __version__
from policypress.engine.options import BuildOptions, PdfMode
from policypress.engine.stamp import INPUTS
from policypress.errors import Finding

FORMAT = 1
STAMPS_DIR = "stamps"  # in the build cache, one file per output folder
PACKAGE = Path(__file__).resolve().parent.parent  # policypress's own code, templates and data
# Only builds whose output follows from their inputs alone: the preview's modes publish what the
# cache or the last build happens to hold.
STAMPED_MODES = (PdfMode.ALL, PdfMode.NONE)
# Environment that can change what a build makes or whether it succeeds (POLICYPRESS_TODAY,
# POLICYPRESS_ALLOW_UNTESTED ... are all taken, by their prefix); TZ moves "today";
# PYTHONPATH may put other libraries first.
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "TZ", "PYTHONPATH")
# Options that say how a build reports its progress, not what it makes.
REPORTING = ("on_wait", "progress")
ENVIRONMENT_PREFIX = "POLICYPRESS_"
# Installing or upgrading any Debian package (Pango, fonts, liblouis's tables) changes this file.
SYSTEM_PACKAGES = Path("/var/lib/dpkg/status")
LIBLOUIS = "liblouis.so.20"  # as policypress.render.braille loads it (Debian's liblouis20)
# A file changed less than this before its size and times were read may change again without
# changing them: Linux stamps files with a clock that ticks every 1 to 10 ms; a file system
# whose times are whole milliseconds or coarser (FAT, exFAT, some network shares) gets longer.
FINE_WINDOW_NS = 20_000_000
COARSE_WINDOW_NS = 2_000_000_000
LONGEST_WAIT_NS = 50_000_000  # a build waits no longer than this to store its stamp


@dataclass(frozen=True)
class Walk:
    """A folder set as found: one hash of every file's name, size and times, and the bytes'
    hash of the files too recent to be judged by their times."""

    digest: str
    recent: dict[str, str]  # absolute path -> sha256 of its bytes


@dataclass(frozen=True)
class InputStamp:
    """The inputs of a build, taken before it read them."""

    output: Path
    inputs: Walk


@dataclass(frozen=True)
class LastBuild:
    """What the last successful build of an output folder stored with its stamp: enough to say
    what it made without making it again."""

    files: list[dict[str, Any]]
    warnings: list[Finding]
    pdfs: int  # PDFs, rendered or reused


def stamp_path(options: BuildOptions, root: Path) -> Path:
    """Where the stamp of ``options.output`` is kept (two output folders have a stamp each)."""
    name = hashlib.sha256(os.fsencode(str(options.output.resolve()))).hexdigest()[:32]
    return options.cache_folder(root) / STAMPS_DIR / f"{name}.json"


def take_inputs(root: Path, options: BuildOptions) -> InputStamp:
    """Every input of a build of ``root`` with ``options``, as it is now (before reading it)."""
    root = root.resolve()
    started = time.time_ns()
    rows = [f"format {FORMAT}", f"policypress {__version__}", f"root {root}"]
    rows += settings(options)
    recent: dict[str, str] = {}
    digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape"))
    tops = [(name, root / name) for name in INPUTS] + [("policypress", PACKAGE)]
    for name, top in tops:
        for path, info in files_under(top, follow=True):
            _add(digest, f"{name}:{path.relative_to(top).as_posix()}", info)
            if _recent(info, started):
                recent[str(path)] = _file_digest(path)
    _add_folder_facts(digest)
    return InputStamp(options.output.resolve(), Walk(digest.hexdigest(), recent))


def settings(options: BuildOptions) -> list[str]:
    """Everything but files that a build's output depends on: each option (a callback aside),
    today's date, the environment, Python, the installed libraries and liblouis."""
    rows = []
    for option in dataclasses.fields(options):
        value = getattr(options, option.name)
        if option.name not in REPORTING and not callable(value):
            rows.append(f"option {option.name} {value!r}")
    rows.append(f"today {today().isoformat()}")
    for key in sorted(os.environ):
        if key.startswith(ENVIRONMENT_PREFIX) or key in ENVIRONMENT:
            rows.append(f"environment {key}={os.environ[key]}")
    # Which Python, by its installation rather than its command (python and python3 are one).
    rows.append(f"python {sys.prefix} {sys.base_prefix} {sys.version}")
    rows.append(f"liblouis {liblouis_version()}")
    return rows


def today() -> dt.date:
    """The clock's date: a stamp lasts a day at most, whatever depends on the date."""
    return dt.date.today()


def _add_folder_facts(digest: Any) -> None:
    """The folders Python's installed packages are in, each with the names of its
    ``.dist-info`` folders (an install or upgrade renames one, and changes the folder's times),
    and the Debian package list, by size and times."""
    folders = [*site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    for entry in folders:
        folder = Path(entry)
        try:
            names = sorted(os.listdir(folder))
            info = folder.stat()
        except OSError:
            digest.update(f"\nno folder {entry}".encode("utf-8", "surrogateescape"))
            continue
        _add(digest, f"folder {entry}", info)
        installed = [n for n in names if n.endswith((".dist-info", ".egg-info", ".pth"))]
        digest.update("\0".join(installed).encode("utf-8", "surrogateescape"))
    try:
        _add(digest, "system packages", SYSTEM_PACKAGES.stat())
    except OSError:
        digest.update(b"\nno system package list")


def liblouis_version() -> str:
    """The version of the liblouis braille is made with, or "-" (no braille then): loaded as
    policypress.render.braille loads it, without importing that module."""
    try:
        library = ctypes.CDLL(LIBLOUIS)
    except OSError:
        found = ctypes.util.find_library("louis")  # another system: ask the linker's cache
        if found is None:
            return "-"
        try:
            library = ctypes.CDLL(found)
        except OSError:
            return "-"
    try:
        function = library.lou_version
    except AttributeError:
        return "-"
    function.restype = ctypes.c_char_p
    value = function()
    return value.decode("ascii", "replace") if isinstance(value, bytes) else "-"


def files_under(top: Path, *, follow: bool) -> Iterator[tuple[Path, os.stat_result]]:
    """``top`` if it is a file, else every file and link under it, in name order, with its
    facts (those of the file a link leads to when ``follow``). A missing ``top`` yields none."""
    try:
        info = top.stat() if follow else top.lstat()
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        yield top, info
        return
    seen = {(info.st_dev, info.st_ino)}
    yield from _walk(top, follow, seen)


def _walk(
    folder: Path, follow: bool, seen: set[tuple[int, int]]
) -> Iterator[tuple[Path, os.stat_result]]:
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise StampUnavailable(f"cannot list {folder}: {error}") from None
    for name in names:
        if name == "__pycache__":
            continue  # compiled code Python writes as it pleases; the sources are taken
        path = folder / name
        try:
            info = path.stat() if follow else path.lstat()
        except OSError:
            try:
                info = path.lstat()  # a broken link: taken as a link
            except OSError as error:  # gone meanwhile
                raise StampUnavailable(f"cannot read {path}: {error}") from None
        if stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in seen:
                continue  # a link back to a folder above
            yield from _walk(path, follow, seen | {(info.st_dev, info.st_ino)})
        else:
            yield path, info


class StampUnavailable(Exception):
    """Something could not be read: no stamp, the build does its work."""


def _add(digest: Any, name: str, info: os.stat_result) -> None:
    row = (
        f"\n{name}\0{info.st_mode:o}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
        f"\0{info.st_ino}\0{info.st_dev}"
    )
    digest.update(row.encode("utf-8", "surrogateescape"))


def _window(info: os.stat_result) -> int:
    coarse = info.st_ctime_ns % 1_000_000 == 0 and info.st_mtime_ns % 1_000_000 == 0
    return COARSE_WINDOW_NS if coarse else FINE_WINDOW_NS


def _recent(info: os.stat_result, now: int) -> bool:
    """Whether the file may change again without its size or times changing."""
    newest = max(info.st_mtime_ns, info.st_ctime_ns)
    return newest >= now - _window(info)


def _file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def take_output(output: Path, *, settle: bool) -> Walk:
    """Every file in the output folder (links as links), with its size and times. With
    ``settle``, first wait (at most a few hundredths of a second) until the files just
    written are old enough to be judged by their times; older ones are hashed."""
    found = list(files_under(output, follow=False))
    if settle and found:
        newest = max(max(info.st_mtime_ns, info.st_ctime_ns) for _, info in found)
        wait = newest + FINE_WINDOW_NS - time.time_ns()
        if 0 < wait <= LONGEST_WAIT_NS:
            time.sleep(wait / 1e9)
    now = time.time_ns()
    digest = hashlib.sha256(f"output {output}".encode("utf-8", "surrogateescape"))
    try:
        _add(digest, "output folder", output.lstat())
    except OSError:
        digest.update(b"\nno output folder")
    recent: dict[str, str] = {}
    for path, info in files_under(output, follow=False):
        _add(digest, path.relative_to(output).as_posix(), info)
        if stat.S_ISREG(info.st_mode) and _recent(info, now):
            recent[str(path)] = _file_digest(path)
    return Walk(digest.hexdigest(), recent)


def forget(root: Path, options: BuildOptions) -> None:
    """Remove the stamp of ``options.output`` (a build is about to change it, or failed)."""
    with contextlib.suppress(FileNotFoundError):
        stamp_path(options, root).unlink()


def store(
    root: Path,
    options: BuildOptions,
    before: InputStamp,
    files: Iterable[Mapping[str, Any]],
    warnings: Sequence[Finding],
    pdfs: int,
    *,
    settle: bool,
) -> None:
    """Keep the stamp of a build that succeeded and was published: its inputs as they were
    before it read them, its output as it is now."""
    if options.pdf_mode not in STAMPED_MODES:
        return
    output = take_output(before.output, settle=settle)
    record = {
        "format": FORMAT,
        "inputs": dataclasses.asdict(before.inputs),
        "output": dataclasses.asdict(output),
        "files": list(files),
        "pdfs": pdfs,
        "warnings": [
            {
                "severity": w.severity,
                "message": w.message,
                "path": None if w.path is None else str(w.path),
                "line": w.line,
                "col": w.col,
                "hint": w.hint,
            }
            for w in warnings
        ],
    }
    path = stamp_path(options, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _walk_from(data: Any) -> Walk:
    if not isinstance(data, dict):
        raise ValueError("not a walk")
    digest, recent = data["digest"], data["recent"]
    if not isinstance(digest, str) or not isinstance(recent, dict):
        raise ValueError("not a walk")
    return Walk(digest, {str(k): str(v) for k, v in recent.items()})


def _recent_unchanged(walk: Walk) -> bool:
    try:
        return all(_file_digest(Path(path)) == sha for path, sha in walk.recent.items())
    except OSError:
        return False


def last_build_if_unchanged(root: Path, options: BuildOptions) -> LastBuild | None:
    """What the last build of ``options.output`` made, if nothing it depends on has changed
    since; None if anything has, or cannot be told (no stamp, an unreadable file ...). The
    caller holds the output's lock."""
    if options.pdf_mode not in STAMPED_MODES:
        return None
    try:
        record = json.loads(stamp_path(options, root).read_bytes())
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            return None
        stored_inputs = _walk_from(record["inputs"])
        stored_output = _walk_from(record["output"])
        now = take_inputs(root, options)
        if now.inputs.digest != stored_inputs.digest or not _recent_unchanged(stored_inputs):
            return None
        output = take_output(now.output, settle=False)
        if output.digest != stored_output.digest or not _recent_unchanged(stored_output):
            return None
        files = record["files"]
        pdfs = int(record["pdfs"])
        warnings = [
            Finding(
                w["severity"],
                w["message"],
                None if w["path"] is None else Path(w["path"]),
                w["line"],
                w["col"],
                w["hint"],
            )
            for w in record["warnings"]
        ]
    except (OSError, ValueError, KeyError, TypeError, StampUnavailable):
        return None
    if not isinstance(files, list):
        return None
    return LastBuild(files, warnings, pdfs)
