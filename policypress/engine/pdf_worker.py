"""Runs inside a PDF worker process: WeasyPrint, with its font configuration, the parsed font
stylesheet and the image cache kept from one document to the next, and a URL fetcher that reads
only the project's own files and never the network."""

from __future__ import annotations

import gc
import logging
import os
import select
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from policypress import compat
from policypress.content.sanitise import IMAGE_SUFFIXES
from policypress.layout import DEFAULT_TEMPLATES, template_dirs

PDF_VARIANT = "pdf/ua-1"
_state: dict[str, Any] = {}


@dataclass
class PdfResult:
    data: bytes
    pages: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    overflow_mm: float = 0.0


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def start_worker(scratch: str, build: int, fonts_css: str, base_url: str = "") -> None:
    """A worker process's first step. Its temporary files (WeasyPrint's copies of the fonts) go
    into the build's scratch folder, which the build deletes when its workers are done: a worker
    ends without the clean-up code that would delete them itself. The first worker makes the
    folder, so a build killed before any worker started leaves none. The worker ends when the
    build process does. Then WeasyPrint and the fonts are loaded, before the first document."""
    os.makedirs(scratch, mode=0o700, exist_ok=True)
    tempfile.tempdir = scratch
    exit_when_gone(build, scratch)
    from policypress.engine import pdfstructure  # noqa: F401  (with pydyf)

    _setup(fonts_css, base_url)
    gc.collect()
    gc.freeze()  # what stays loaded is not looked at again by the collector
    _state["worker"] = True


def exit_when_gone(process: int, scratch: str) -> None:
    """End this process as soon as ``process`` ends (a build killed, a preview closed), rather
    than live on as an orphan holding a hundred megabytes (a pool's workers wait for work for as
    long as the pipe they share stays open), deleting ``scratch`` on the way."""

    def alive() -> bool:
        try:
            os.kill(process, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True

    def watch() -> None:
        try:
            handle = os.pidfd_open(process)
        except (AttributeError, OSError):
            while alive():  # not Linux 5.3 or later: look every half second instead
                time.sleep(0.5)
        else:
            select.select([handle], [], [])
        shutil.rmtree(scratch, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, name="exit-when-gone", daemon=True).start()


class FetchRefused(ValueError):
    """A document asked for something a build never reads."""


def check_fetch(
    url: str, content: Path | None, templates: tuple[Path, ...], archive: Path | None = None
) -> None:
    """Allow only data: addresses, images in the content folder (and in the archive, where
    released versions keep theirs), and files in the template folders (fonts); refuse
    everything else: the network, other files, the .md sources."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"a build never reads from the network: {url}")
    file = Path(url2pathname(unquote(parts.path))).resolve()
    if any(folder is not None and file.is_relative_to(folder) for folder in (content, archive)):
        if file.suffix.lower() in IMAGE_SUFFIXES:
            return
        raise FetchRefused(f"only images are read from the content folder: {url}")
    if any(file.is_relative_to(folder) for folder in templates):
        return
    raise FetchRefused(f"a build reads only the project's content and template folders: {url}")


def project_url_fetcher(base_url: str = "") -> Any:
    """WeasyPrint's URL fetcher for the project whose content folder is ``base_url`` (a file:
    address), or, without one, for policypress's own templates alone."""
    cached = _state.get(f"fetcher {base_url}")
    if cached is not None:
        return cached
    from weasyprint import urls as weasy_urls

    content: Path | None = None
    archive: Path | None = None
    folders = [DEFAULT_TEMPLATES]
    if base_url:
        from policypress.versions.archive import ARCHIVE_DIR

        content = Path(url2pathname(unquote(urlsplit(base_url).path))).resolve()
        archive = content.parent / ARCHIVE_DIR
        folders = template_dirs(content.parent)
    templates = tuple(folder.resolve() for folder in folders)

    fetcher: Any
    if hasattr(weasy_urls, "URLFetcher"):  # WeasyPrint 68 and later

        class ProjectFetcher(weasy_urls.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                check_fetch(url, content, templates, archive)
                return super().fetch(url, headers)

        fetcher = ProjectFetcher(allowed_protocols=("file", "data"))
    else:

        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            check_fetch(url, content, templates, archive)
            return weasy_urls.default_url_fetcher(url, *args, **kwargs)

    _state[f"fetcher {base_url}"] = fetcher
    return fetcher


def _setup(fonts_css: str, base_url: str = "") -> None:
    """Parse the fonts once; reparse only if they change (a school swapped a font), or the
    project does (its template folders are where fonts may be read from)."""
    if _state.get("fonts_css_text") == (fonts_css, base_url):
        return
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    _state["font_config"] = font_config
    _state["fonts_css"] = CSS(
        string=fonts_css, font_config=font_config, url_fetcher=project_url_fetcher(base_url)
    )
    _state["fonts_css_text"] = (fonts_css, base_url)
    _state["image_cache"] = {}


def render_pdf(
    html: str,
    base_url: str,
    fonts_css: str,
    one_page: bool = False,
    alternatives: tuple[str, ...] = (),
    sizes: tuple[float, ...] = (),
) -> PdfResult:
    """HTML -> tagged PDF bytes; log lines from WeasyPrint come back as errors and warnings.
    A one-page document comes with ``alternatives``: the same document in tighter layouts, from
    the roomiest to the tightest (at body ``sizes``, the roomiest first, if known). The PDF is
    the roomiest layout that fits on one page, on the understanding that a tighter layout never
    takes more pages than a roomier one (see :func:`_roomiest_fitting`). Only the chosen layout
    is written as a PDF."""
    attempts = [html, *alternatives] if one_page else [html]
    # No cycle collection while a document renders (WeasyPrint allocates millions of objects and
    # frees nearly all of them by reference counting; the collector's passes cost 5-10% of the
    # time); one collection after it, so memory does not grow from one document to the next.
    collecting = gc.isenabled()
    gc.disable()
    try:
        best, fits = _roomiest_fitting(attempts, sizes, base_url, fonts_css)
        overflow = 0.0
        if one_page and not fits:
            # Nothing fits: the tightest layout, with how far it runs over.
            overflow = _overflow_mm(attempts[-1], base_url)
        return best.write(overflow)
    finally:
        if collecting:
            gc.enable()
        gc.collect()
        if _state.get("worker"):
            # What outlived the document (WeasyPrint's caches of fonts and glyphs) is not looked
            # at again by the next document's collection, which then costs the same for every
            # document instead of growing (a worker is replaced after WORKER_RECYCLE documents;
            # never in the build process itself, which serve keeps running).
            gc.freeze()


# How much faster than the body size a leaflet's content grows (lines get longer, and more of
# them wrap; headings and the QR code grow less): fitted to the shipped leaflets, where it
# names the size that fits in all four languages. Only the layouts tried depend on it.
_GROWTH = 1.2


def _roomiest_fitting(
    attempts: list[str], sizes: tuple[float, ...], base_url: str, fonts_css: str
) -> tuple[_Layout, bool]:
    """The roomiest of ``attempts`` that fits on one page, and whether any does (if none does,
    the tightest). The roomiest is laid out first (it fits, most often in English). If it runs
    over, how far it runs over says which size should fit; that size is laid out, then its
    neighbour (the next roomier if it fits, the next tighter if not), then the search halves
    what is left: three layouts in all when the guess is right, where halving alone takes up
    to four for eleven sizes and never fewer than two."""
    first = _lay_out(attempts[0], base_url, fonts_css)
    last = len(attempts) - 1
    if last == 0 or len(first.document.pages) <= 1:
        return first, len(first.document.pages) <= 1
    guess = _likely_fit(first.document, sizes) if len(sizes) == len(attempts) else last // 2
    index = min(max(guess, 1), last)
    low, high = 1, last  # the roomiest that fits is in here, if any does
    best: _Layout | None = None
    layout = first
    probes = 0
    while low <= high:
        layout = _lay_out(attempts[index], base_url, fonts_css)
        probes += 1
        if len(layout.document.pages) <= 1:
            best, high, neighbour = layout, index - 1, index - 1
        else:
            low, neighbour = index + 1, index + 1
        index = neighbour if probes == 1 else (low + high) // 2
    if best is not None:
        return best, True
    return layout, False  # the tightest: the last one laid out when none fits


def _likely_fit(document: Any, sizes: tuple[float, ...]) -> int:
    """The index of the largest of ``sizes`` at which a document laid out at ``sizes[0]`` on
    more than one page should fit on one, judged by the height its content takes."""
    pages = [compat.page_box(page) for page in document.pages]
    height = float(pages[0].height)
    last = pages[-1]
    bottom = last.content_box_y()
    for child in last.descendants():
        if type(child).__name__ in ("PageBox", "MarginBox"):
            continue
        y = getattr(child, "position_y", None)
        if y is not None and hasattr(child, "margin_height"):
            bottom = max(bottom, y + child.margin_height())
    used = (len(pages) - 1) * height + bottom - last.content_box_y()
    fitting = sizes[0] * (height / used) ** (1 / _GROWTH) if used > 0 else sizes[0]
    return next((i for i, size in enumerate(sizes) if size <= fitting), len(sizes) - 1)


@dataclass
class _Layout:
    """A laid-out document and what WeasyPrint logged while laying it out and writing it."""

    document: Any
    collector: _Collector

    def write(self, overflow_mm: float) -> PdfResult:
        from policypress.engine.artifacts import add_file_identifier

        logger = logging.getLogger("weasyprint")
        logger.addHandler(self.collector)
        try:
            # Furniture becomes artifacts and the structure follows the document, on the PDF
            # objects before they are written; the file identifier is then added without
            # serialising every object again.
            data = add_file_identifier(
                self.document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_finish)
            )
        finally:
            logger.removeHandler(self.collector)
        result = PdfResult(data=data, pages=len(self.document.pages), overflow_mm=overflow_mm)
        for record in self.collector.records:
            message = record.getMessage()
            (result.errors if record.levelno >= logging.ERROR else result.warnings).append(message)
        return result


def _lay_out(html: str, base_url: str, fonts_css: str) -> _Layout:
    from weasyprint import HTML

    from policypress.engine import pdftext
    from policypress.engine.pdfstructure import record_sources

    pdftext.install()
    _setup(fonts_css, base_url)
    record_sources()  # before the layout: WeasyPrint notes each structure element's source
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(
            string=html, base_url=base_url, url_fetcher=project_url_fetcher(base_url)
        ).render(
            stylesheets=[_state["fonts_css"]],
            font_config=_state["font_config"],
            cache=_state["image_cache"],
            pdf_variant=PDF_VARIANT,
        )
    finally:
        logger.removeHandler(collector)
    return _Layout(document, collector)


def _finish(document: Any, pdf: Any) -> None:
    """Work on the PDF objects before they are written (WeasyPrint's ``finisher``)."""
    from policypress.engine.figure_boxes import fix_figure_boxes
    from policypress.engine.pdfstructure import finish_tagged_pdf

    finish_tagged_pdf(document, pdf)
    fix_figure_boxes(pdf)


def _overflow_mm(html: str, base_url: str) -> float:
    """How far a one-page document runs past its page: rendered on one very tall page."""
    from weasyprint import CSS, HTML

    tall = CSS(
        string="@page { size: 210mm 3000mm !important; }",
        font_config=_state["font_config"],
        url_fetcher=project_url_fetcher(base_url),
    )
    document = HTML(
        string=html, base_url=base_url, url_fetcher=project_url_fetcher(base_url)
    ).render(stylesheets=[_state["fonts_css"], tall], font_config=_state["font_config"])
    page = document.pages[0]
    box = compat.page_box(page)
    bottom = 0.0
    for child in box.descendants():
        if type(child).__name__ in ("PageBox", "MarginBox"):
            continue
        y = getattr(child, "position_y", None)
        height = child.margin_height() if hasattr(child, "margin_height") else None
        if y is not None and height is not None:
            bottom = max(bottom, y + height)
    px_per_mm = 96 / 25.4
    a4_content = 297 * px_per_mm - (box.margin_top + box.margin_bottom)
    used = bottom - box.margin_top
    return float(max(0.0, (used - a4_content) / px_per_mm))
