"""The PDF worker processes: a standard process pool whose workers load WeasyPrint and the fonts
as they start, are replaced after a number of documents, and take the longest documents first."""

from __future__ import annotations

import multiprocessing
import os
import secrets
import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING

from policypress.engine.fingerprint import PACKAGE, current_fingerprint, package_fingerprint
from policypress.engine.pdf_worker import PdfResult, render_pdf, start_worker
from policypress.errors import PolicyError

if TYPE_CHECKING:
    from policypress.engine.pdfs import PdfJob

WORKER_RECYCLE = 25  # documents per worker before it is replaced (WeasyPrint's memory grows)
# For bench/run.py only: "forkserver" starts the workers from a server process that has
# imported WeasyPrint once, instead of a fresh interpreter each (the measured alternative).
POOL_START = os.environ.get("POLICYPRESS_PDF_POOL", "spawn")


def _pool_context() -> multiprocessing.context.BaseContext:
    if POOL_START == "forkserver":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "policypress.engine.pdf_worker"])
        return context
    # A fresh interpreter per worker: no state, threads or locks copied from the build.
    return multiprocessing.get_context("spawn")


class Workers:
    """PDF worker processes for one build, started at the first PDF that needs rendering (a
    build with nothing to render starts none) and ended with the build. The workers load
    WeasyPrint while the rest of the documents are planned; then every document is handed over,
    the longest first, so that no long one is left to run alone at the end."""

    def __init__(self, fonts_css: str, jobs: int | None, base_url: str = "") -> None:
        self.fonts_css = fonts_css
        self.base_url = base_url
        self.count = worker_count(jobs)
        self.pool: ProcessPoolExecutor | None = None
        self.scratch: str | None = None  # the workers' temporary files, deleted at the end
        self.jobs: list[PdfJob] = []

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
        if current_fingerprint() != package_fingerprint():
            # The workers would load the new code, and file its PDFs under the old code's keys.
            raise PolicyError(
                "policypress, or a library it renders with, changed on disk after this process "
                "started, so the PDFs it would make now cannot be filed correctly",
                PACKAGE,
                hint="Stop the preview (Ctrl-C) and start it again.",
            )
        # Named here, made by the first worker (see start_worker), deleted in __exit__.
        token = secrets.token_hex(6)
        self.scratch = os.path.join(tempfile.gettempdir(), f"policypress-{os.getpid()}-{token}")
        self.pool = ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=_pool_context(),
            max_tasks_per_child=WORKER_RECYCLE,
            initializer=start_worker,
            initargs=(self.scratch, os.getpid(), self.fonts_css, self.base_url),
        )
        for _ in range(self.count):
            self.pool.submit(os.getpid)  # starts a worker now: it loads while the build plans

    def submit(self, job: PdfJob) -> None:
        """Queue a document (the first one starts the workers)."""
        self.start()
        self.jobs.append(job)

    def results(self) -> list[PdfResult]:
        """Every queued document's result, in the order they were queued."""
        if self.pool is None:
            return [render_pdf(*self._arguments(job)) for job in self.jobs]
        # One document per worker at a time: with more queued, Python 3.11's pool stops
        # replacing the workers it recycles, and the build would wait for ever.
        waiting = iter(longest_first(self.jobs))
        running: dict[Future[PdfResult], int] = {}
        done: dict[int, PdfResult] = {}
        while True:
            while len(running) < self.count:
                index = next(waiting, None)
                if index is None:
                    break
                job = self.jobs[index]
                running[self.pool.submit(render_pdf, *self._arguments(job))] = index
            if not running:
                return [done[index] for index in range(len(self.jobs))]
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                done[running.pop(future)] = future.result()

    def render(self, todo: list[PdfJob]) -> list[PdfResult]:
        for job in todo:
            self.submit(job)
        return self.results()

    def _arguments(
        self, job: PdfJob
    ) -> tuple[str, str, str, bool, tuple[str, ...], tuple[float, ...]]:
        return (
            job.html,
            self.base_url,
            self.fonts_css,
            job.one_page,
            job.alternatives,
            job.sizes,
        )


def longest_first(jobs: list[PdfJob]) -> list[int]:
    """The order to hand documents over in: the longest first, ties in the order they came."""
    return sorted(range(len(jobs)), key=lambda index: -jobs[index].cost)


def worker_count(jobs: int | None) -> int:
    """``--jobs``, or as many workers as there are cores."""
    return max(1, jobs or os.cpu_count() or 1)
