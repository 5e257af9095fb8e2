"""A real browser: Debian's Chromium driven by Playwright, with axe-core from npm."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

PREFIX = "/policies/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(shipped: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped site served at the path it is published under (/policies/)."""
    webroot = tmp_path_factory.mktemp("webroot")
    (webroot / "policies").symlink_to(shipped / "site", target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(webroot))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()
    httpd.server_close()


def site_pages(shipped: Path) -> list[str]:
    manifest = json.loads((shipped / "manifest.json").read_text())
    return sorted(
        f["path"].removesuffix("index.html") for f in manifest["files"] if f["kind"] == "page"
    )
