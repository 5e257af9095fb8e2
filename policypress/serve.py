"""The preview server: builds, serves the output on 127.0.0.1, rebuilds when a file is saved and
reloads the open page. A failed rebuild shows in the terminal and over the page; the last good
build stays served."""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Callable
from html import unescape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from policypress.engine.options import PdfMode
from policypress.engine.stamp import INPUTS
from policypress.engine.writer import SITE_DIR
from policypress.errors import PolicyError
from policypress.render.html import CSP

log = logging.getLogger(__name__)

LIVE_PREFIX = "__policypress/"
DEBOUNCE_SECONDS = 0.08
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", ".bak")
WATCHED = INPUTS
REFERRER_POLICY = "no-referrer"  # as the pages' <meta name="referrer">
_CSP_META_RE = re.compile(
    rb'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.IGNORECASE
)

LIVE_JS = """// policypress preview: reload on rebuild, show build errors over the page.
(function () {
  var source = new EventSource(document.currentScript.src.replace(/live\\.js$/, "events"));
  var box = null;
  function show(text, kind) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1rem 1.5rem;background:#0b0c0c;color:#fff;font:1rem/1.5 monospace;" +
        "white-space:pre-wrap;z-index:99;border-top:6px solid #d4351c";
      document.body.appendChild(box);
    }
    box.style.borderTopColor = kind === "error" ? "#d4351c" : "#00703c";
    box.textContent = text;
  }
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("error-report", function (e) {
    show("The last save could not be built, so this is the previous version:\\n\\n" +
      JSON.parse(e.data).message, "error");
  });
  source.addEventListener("progress", function (e) {
    show(JSON.parse(e.data).message, "ok");
  });
  source.addEventListener("pdfs", function (e) {
    show(JSON.parse(e.data).message, "ok");
    setTimeout(function () { location.reload(); }, 1500);
  });
})();
"""


def is_editor_temp_file(path: str) -> bool:
    """Editors' swap, backup and lock files, which must not trigger a rebuild."""
    name = os.path.basename(path)
    return (
        name.startswith((".", "#", "~$"))
        or name.endswith(_IGNORED_SUFFIXES)
        or name == "4913"  # vim's write test
    )


def is_input(root: Path, path: str) -> bool:
    """Whether a change to ``path`` can change the build. The project folder itself is watched
    (for policypress.toml) and also holds the output and the cache: its own events, and theirs,
    come from the build and would make each save rebuild and reload the page again."""
    relative = os.path.relpath(path, root)
    top = relative.split(os.sep, 1)[0]
    return top in WATCHED and not relative.startswith("..")


def page_policy(html: bytes) -> str:
    """The Content-Security-Policy a page declares in its <meta> tag, sent as a header too so
    the preview applies what a web server would; pages without one get the site's own."""
    match = _CSP_META_RE.search(html)
    return unescape(match.group(1).decode("utf-8", "replace")) if match else CSP


def safe_path(site: Path, url_path: str, prefix: str) -> Path | None:
    """The file for a request, or None if it would leave the site folder (``..``, encoded
    slashes, symlinks pointing out) or no file could have that name (too long, NUL bytes)."""
    try:
        return _safe_path(site, url_path, prefix)
    except (OSError, ValueError):  # e.g. a name over 255 bytes: nothing is there to serve
        return None


def _safe_path(site: Path, url_path: str, prefix: str) -> Path | None:
    raw = urlsplit(url_path).path
    if "%2f" in raw.lower() or "%5c" in raw.lower() or "\\" in raw or "\x00" in unquote(raw):
        return None
    path = unquote(raw)
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    parts = [p for p in relative.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    candidate = site.joinpath(*parts) if parts else site
    if candidate.is_dir():
        candidate = candidate / "index.html"
    real_site = os.path.realpath(site)
    real = os.path.realpath(candidate)
    if real != real_site and not real.startswith(real_site + os.sep):
        return None
    return Path(real)


class LiveChannel:
    """Server-sent events to every open page. The last build error is kept and sent to each
    page as it connects, so a page opened or reloaded after a failed save shows it too."""

    def __init__(self) -> None:
        self.clients: list[queue.Queue[str]] = []
        self.lock = threading.Lock()
        self.error: str | None = None  # the message of the last build, if it failed

    def subscribe(self) -> queue.Queue[str]:
        q: queue.Queue[str] = queue.Queue()
        with self.lock:
            self.clients.append(q)
            if self.error is not None:
                q.put(_event("error-report", {"message": self.error}))
        return q

    def show_error(self, message: str) -> None:
        """Show ``message`` over every page, open now or opened later, until ``clear_error``."""
        with self.lock:
            self.error = message
        self.send("error-report", {"message": message})

    def clear_error(self) -> None:
        with self.lock:
            self.error = None

    def unsubscribe(self, q: queue.Queue[str]) -> None:
        with self.lock:
            if q in self.clients:
                self.clients.remove(q)

    def send(self, event: str, data: dict[str, str] | None = None) -> None:
        payload = _event(event, data)
        with self.lock:
            for q in self.clients:
                q.put(payload)


def _event(event: str, data: dict[str, str] | None = None) -> str:
    return f"event: {event}\ndata: {json.dumps(data or {})}\n\n"


class PreviewServer(ThreadingHTTPServer):
    """Never prints a traceback for a request: a page closed mid-answer is normal, and anything
    else is logged in one line (with the traceback under --debug)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return
        log.warning("the preview could not answer a request: %s: %s", type(error).__name__, error)
        log.debug("traceback", exc_info=error)


LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request's Host header names this machine (or the address the preview was
    started on). Browsers always send one; a request without one is not a browser's."""
    if header is None:
        return True
    host = header.strip().lower()
    if host.startswith("["):
        name = host[1:].partition("]")[0]
    else:
        name = host.rpartition(":")[0] if ":" in host else host
    return name in LOCAL_NAMES or name == bound.lower()


def make_handler(site: Path, prefix: str, channel: LiveChannel) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "policypress-preview"
        policy = CSP  # the Content-Security-Policy header of the answer being sent

        def log_message(self, format: str, *args: object) -> None:
            log.debug("%s - %s", self.address_string(), format % args)

        def end_headers(self) -> None:
            # On every answer, http.server's own (400, 414 ...) included.
            self.send_header("Content-Security-Policy", self.policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", REFERRER_POLICY)
            self.policy = CSP
            super().end_headers()

        def do_GET(self) -> None:
            bound = self.server.server_address
            bound_host = bound[0] if isinstance(bound, tuple) else ""
            if not host_allowed(self.headers.get("Host"), bound_host):
                # DNS rebinding: a web page elsewhere that resolves its own name to 127.0.0.1
                # must not read the preview (the policy's drafts, its editorial notes).
                self._send(
                    b"This preview answers only to its own address.\n",
                    "text/plain; charset=utf-8",
                    HTTPStatus.MISDIRECTED_REQUEST,
                )
                return
            path = urlsplit(self.path).path
            if path in ("/", "") and prefix != "/":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", prefix)
                self.end_headers()
                return
            if path.endswith(LIVE_PREFIX + "live.js"):
                self._send(LIVE_JS.encode(), "text/javascript; charset=utf-8")
                return
            if path.endswith(LIVE_PREFIX + "events"):
                self._events()
                return
            file = safe_path(site, self.path, prefix)
            if file is None or not self._send_file(file):
                self._not_found()

        def _send_file(self, file: Path, status: HTTPStatus = HTTPStatus.OK) -> bool:
            """Send ``file``; False if it is not there (or went away in a rebuild)."""
            try:
                data = file.read_bytes()
            except OSError:
                return False
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind == "text/html":
                self.policy = page_policy(data)
                # An external script, not inline code: the page's CSP allows it ('self').
                script = f'<script src="{prefix}{LIVE_PREFIX}live.js" defer></script>'
                data = data.replace(b"</head>", script.encode() + b"</head>", 1)
                kind += "; charset=utf-8"
            self._send(data, kind, status)
            return True

        def _not_found(self) -> None:
            if not self._send_file(site / "404.html", HTTPStatus.NOT_FOUND):
                self._send(b"Not found", "text/plain", HTTPStatus.NOT_FOUND)

        def _send(self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            q = channel.subscribe()
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    try:
                        payload = q.get(timeout=15)
                    except queue.Empty:
                        payload = ": keep-alive\n\n"
                    self.wfile.write(payload.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            finally:
                channel.unsubscribe(q)

    return Handler


class Rebuilder:
    """Debounces bursts of saves and runs one build at a time: web pages first (fast), then the
    PDFs in the background."""

    def __init__(
        self,
        root: Path,
        output: Path,
        channel: LiveChannel,
        report: Callable[[str], None],
        pdf: bool = True,
    ) -> None:
        self.root = root
        self.output = output
        self.channel = channel
        self.report = report
        self.pdf = pdf
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()  # guards generation and timer
        self.publish_lock = threading.Lock()  # one build writes the output at a time
        self.pdf_lock = threading.Lock()  # one background PDF render at a time
        self.generation = 0
        self.last_error: str | None = None

    def changed(self, path: str) -> None:
        if is_editor_temp_file(path):
            return
        with self.lock:
            self.generation += 1
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_SECONDS, self.rebuild)
            self.timer.daemon = True
            self.timer.start()

    def build(self, pdf_mode: PdfMode) -> bool:
        from policypress.engine.build import BuildOptions, build_site

        try:
            with self.publish_lock:
                build_site(
                    self.root,
                    BuildOptions(output=self.output, pdf_mode=pdf_mode, on_wait=self.report),
                )
        except PolicyError as error:
            message = error.format(self.root)
            self.last_error = message
            self.report(message)
            self.channel.show_error(message)
            return False
        self.channel.clear_error()
        if self.last_error is not None:
            self.report("Fixed: the build works again.")
            self.last_error = None
        return True

    def pdf_progress(self, done: int, total: int) -> None:
        """Show how far the background PDFs are, over the page and, at the start, in the
        terminal (the page shows each step; the terminal stays short)."""
        message = f"Preparing the PDFs: {done} of {total} done."
        if done == 0:
            self.report(f"Preparing {total} PDF{'s' if total != 1 else ''} in the background.")
        self.channel.send("progress", {"message": message})

    def rebuild(self) -> None:
        with self.lock:
            generation = self.generation
        started = time.perf_counter()
        if not self.build(PdfMode.PREVIOUS if self.pdf else PdfMode.NONE):
            return
        self.report(f"Rebuilt the web pages in {time.perf_counter() - started:.2f} s.")
        self.channel.send("reload")
        self.catch_up(generation)

    def catch_up(self, generation: int) -> None:
        """Render the slow files (PDFs, braille, EPUBs) into the cache, then publish them with
        a quick cached build; the open page reloads and its download links are ready."""
        if not self.pdf:
            return
        from policypress.engine.build import BuildOptions, render_pdfs_into_cache

        with self.pdf_lock:
            if generation != self.generation:
                return  # another save came in; its rebuild will do the PDFs
            try:
                # Slow, but touches only the cache: saves meanwhile still rebuild at once.
                options = BuildOptions(output=self.output, progress=self.pdf_progress)
                render_pdfs_into_cache(self.root, options)
            except PolicyError as error:
                message = error.format(self.root)
                self.report(message)
                self.channel.show_error(message)
                return
            if generation != self.generation:
                return
            if self.build(PdfMode.CACHED):
                self.channel.send(
                    "pdfs", {"message": "The PDFs, braille and EPUB files are up to date."}
                )


def serve_forever(
    root: Path,
    output: Path,
    host: str,
    port: int,
    say: Callable[[str], None],
    warn: Callable[[str], None],
    pdf: bool = True,
) -> None:
    """Build, then serve and watch until Ctrl-C. ``say`` prints the address, ``warn`` each
    rebuild's problems and progress (the command line passes its own printers)."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    from policypress.config import load_config
    from policypress.render.urls import site_path

    channel = LiveChannel()
    rebuilder = Rebuilder(root, output, channel, warn, pdf)
    # The web pages first, in seconds (the last build's PDFs, braille and EPUBs as they are, or
    # "being prepared"); the slow files follow in the background once the server is up.
    first = rebuilder.build(PdfMode.PREVIOUS if pdf else PdfMode.NONE)
    if not first and not (output / SITE_DIR).is_dir():
        raise PolicyError("the first build failed, so there is nothing to preview yet", root)
    prefix = site_path(load_config(root).site.base_url)

    class Watcher(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for attr in ("src_path", "dest_path"):
                value = os.fsdecode(getattr(event, attr, "") or "")
                if not value:
                    continue
                if is_input(root, value):
                    rebuilder.changed(value)

    observer = Observer()
    for name in WATCHED:
        target = root / name
        if target.exists():
            observer.schedule(
                Watcher(), str(target if target.is_dir() else root), recursive=target.is_dir()
            )
    observer.start()
    server = PreviewServer((host, port), make_handler(output / SITE_DIR, prefix, channel))
    address = f"http://{host}:{server.server_address[1]}{prefix}"
    say(f"Previewing at {address} (Ctrl-C to stop). Watching {', '.join(WATCHED)}.")
    if first:
        threading.Thread(
            target=rebuilder.catch_up, args=(rebuilder.generation,), daemon=True
        ).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()
        observer.join(timeout=2)
