"""PDF workers: real WeasyPrint renders in worker processes."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from policypress.engine.pdfs import PdfJob
from policypress.engine.workers import LongestFirst, Workers

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><h1>{title}</h1>{body}</body></html>"""


def job(n: int, paragraphs: int, folder: Path) -> PdfJob:
    body = "".join(f"<p>Paragraph {k}.</p>" for k in range(paragraphs))
    html = HTML.format(title=f"Document {n}", body=body)
    return PdfJob(f"d{n}.pdf", "pdf", "p", "en", "standard", html, str(n), folder, cost=len(html))


def test_the_longest_waiting_document_goes_first() -> None:
    waiting = LongestFirst()
    for n, size in enumerate((2, 40, 10, 40)):
        waiting.push(job(n, size, Path()), n)
    order = []
    while waiting:
        order.append(waiting.pop()[1])
    assert order == [1, 3, 2, 0]  # ties keep their planned order


def test_two_workers_return_each_result_to_its_own_document(tmp_path: Path) -> None:
    jobs = [job(n, size, tmp_path) for n, size in enumerate((2, 60, 10, 30))]
    with Workers("", 2, tmp_path.as_uri() + "/") as workers:
        results = workers.render(jobs)
    titles = []
    for result in results:
        with pikepdf.open(io.BytesIO(result.data)) as pdf:
            titles.append(str(pdf.docinfo["/Title"]))
    assert titles == ["Document 0", "Document 1", "Document 2", "Document 3"]
    assert results[1].pages > results[0].pages
