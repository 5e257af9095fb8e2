"""The PDF worker processes: forked, with WeasyPrint already loaded, from one parent process
that is started as a build begins; long-lived, recycled after a number of documents, and given
the longest documents first."""

from __future__ import annotations

import heapq
import multiprocessing
import os
import secrets
import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

from policypress.engine.pdf_worker import PdfResult, render_pdf, start_worker, warm_up
from policypress.engine.stamp import inputs_stamp, unchanged_since_last_build

if TYPE_CHECKING:
    from policypress.engine.pdfs import PdfJob

WORKER_RECYCLE = 25  # documents per worker before it is replaced (WeasyPrint's memory grows)
PRELOAD = ["policypress.engine.pdf_preload"]  # what the workers' parent process loads, once


_parent_renderer: tuple[str, ...] | None = None  # what the running workers' parent has loaded


def renderer_fingerprint() -> tuple[str, ...]:
    """What else decides a PDF's bytes: the versions of WeasyPrint and pydyf, and our own PDF
    code (read, not imported: the build itself does not load WeasyPrint)."""
    from importlib.metadata import version

    from policypress import __version__
    from policypress.engine.cache import digest

    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("artifacts.py", "pdf_worker.py"))
    return version("weasyprint"), version("pydyf"), __version__, digest(code)


def start_worker_parent() -> None:
    """Start, in the background, the process the PDF workers are forked from, so that it loads
    WeasyPrint while the build is still preparing its documents. Returns at once. The preview
    keeps it from one build to the next, but starts a new one if the PDF code or WeasyPrint has
    changed on disk since it loaded them (its PDFs would be filed under the new code's keys)."""
    global _parent_renderer
    from multiprocessing import forkserver

    current = renderer_fingerprint()
    if _parent_renderer is not None and _parent_renderer != current:
        # multiprocessing offers no public way to stop its fork server; this one it uses itself.
        forkserver._forkserver._stop()  # type: ignore[attr-defined]
    forkserver.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
    _parent_renderer = current


def start_early(root: Path, jobs: int | None, cache_dir: Path) -> str:
    """Start the workers' parent process now, before the project is even read, if there will
    be more than one worker and an input file has changed since the last full build: it loads
    WeasyPrint (half a second) on another core while this one prepares the documents. Returns
    the inputs' stamp, for the build to record when it has made every PDF."""
    stamp = inputs_stamp(root)
    if worker_count(jobs) > 1 and not unchanged_since_last_build(cache_dir, stamp):
        start_worker_parent()
    return stamp


class Workers:
    """Long-lived PDF worker processes, started at the first PDF that needs rendering (a build
    with nothing to render starts none). Documents are handed out as they are planned, so the
    workers start while the rest are still being prepared, and each free worker takes the
    longest document waiting, so that no long one is left to run alone at the end."""

    def __init__(self, fonts_css: str, jobs: int | None, base_url: str = "") -> None:
        self.fonts_css = fonts_css
        self.base_url = base_url
        self.count = worker_count(jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.scratch: str | None = None  # the workers' temporary files, deleted at the end
        self.jobs: list[PdfJob] = []
        self.waiting = LongestFirst()
        self.running: dict[Future[PdfResult], int] = {}
        self.done: dict[int, PdfResult] = {}

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def start(self) -> None:
        if self.pool is not None or self.count <= 1:
            return
        start_worker_parent()
        context = multiprocessing.get_context("forkserver")
        # Named here, made by the first worker (see start_worker), deleted in __exit__.
        token = secrets.token_hex(6)
        self.scratch = os.path.join(tempfile.gettempdir(), f"policypress-{os.getpid()}-{token}")
        self.pool = ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=context,
            max_tasks_per_child=WORKER_RECYCLE,
            initializer=start_worker,
            initargs=(self.scratch, os.getpid()),
        )
        for _ in range(self.count):
            self.pool.submit(warm_up, self.fonts_css, self.base_url)

    def submit(self, job: PdfJob) -> None:
        """Queue a document; it starts as soon as a worker is free."""
        self.start()
        self.waiting.push(job, len(self.jobs))
        self.jobs.append(job)
        self._hand_out()

    def results(self) -> list[PdfResult]:
        """Every queued document's result, in the order they were queued."""
        if self.pool is None:
            return [render_pdf(*self._arguments(job)) for job in self.jobs]
        while self.waiting or self.running:
            wait(self.running, return_when=FIRST_COMPLETED)
            self._hand_out()
        return [self.done[index] for index in range(len(self.jobs))]

    def render(self, todo: list[PdfJob]) -> list[PdfResult]:
        for job in todo:
            self.submit(job)
        return self.results()

    def _hand_out(self) -> None:
        """Collect what has finished; give each free worker the longest document waiting."""
        if self.pool is None:
            return
        for future in [future for future in self.running if future.done()]:
            self.done[self.running.pop(future)] = future.result()
        while self.waiting and len(self.running) < self.count:
            job, index = self.waiting.pop()
            self.running[self.pool.submit(render_pdf, *self._arguments(job))] = index

    def _arguments(self, job: PdfJob) -> tuple[str, str, str, bool, tuple[str, ...]]:
        return (job.html, self.base_url, self.fonts_css, job.one_page, job.alternatives)


class LongestFirst:
    """Documents waiting for a worker: the longest first, ties in the order they came."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, PdfJob]] = []

    def __bool__(self) -> bool:
        return bool(self._heap)

    def push(self, job: PdfJob, index: int) -> None:
        heapq.heappush(self._heap, (-job.cost, index, job))

    def pop(self) -> tuple[PdfJob, int]:
        _, index, job = heapq.heappop(self._heap)
        return job, index


def worker_count(jobs: int | None) -> int:
    """``--jobs``, or as many workers as there are cores."""
    return max(1, jobs or os.cpu_count() or 1)
