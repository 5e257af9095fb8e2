"""The first preview shows the web pages at once: with an empty cache, `serve` serves the pages
before any PDF is made, lists the slow files as being prepared, then publishes them."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # renders the project's PDFs in the background


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
        return str(answer.read().decode("utf-8"))


def test_pages_come_first_then_the_pdfs(project: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "policypress", "serve", "-C", str(project), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed when the server is up
        match = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*)", line)
        assert match, line
        port, prefix = int(match.group(1)), match.group(2)
        page = fetch(port, f"{prefix}behaviour-policy/")
        site = project / "output" / "site"
        # Served before any PDF exists: the downloads say so, with no link to a missing file.
        assert not list(site.rglob("*.pdf"))
        assert 'Standard PDF (A4, 12 pt) <span class="file-facts">(being prepared)</span>' in page
        assert ".pdf" not in page
        deadline = time.monotonic() + 600
        while "being prepared" in page:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the PDFs never came"
            time.sleep(1)
            page = fetch(port, f"{prefix}behaviour-policy/")
        pdfs = sorted(p.name for p in site.rglob("*.pdf"))
        assert pdfs == [
            "behaviour-policy-en-dyslexia-friendly.pdf",
            "behaviour-policy-en-large-print.pdf",
            "behaviour-policy-en.pdf",
        ]
        for name in pdfs:
            assert f'href="{name}"' in page
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
