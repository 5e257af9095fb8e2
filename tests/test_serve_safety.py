"""The preview as a real ``policypress serve`` process: hostile requests get a clean status and no
traceback, a broken save is shown as ``check`` shows it, on every page load until it is fixed, and
every answer carries the site's security headers."""

from __future__ import annotations

import contextlib
import html
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from policypress.render.html import CSP
from tests.conftest import copy_repo_project

PREFIX = "/policies/"  # the shipped project's base_url path
POLICY = "content/social-media-policy.md"


@dataclass
class Preview:
    root: Path
    port: int
    process: subprocess.Popen[str]
    stderr: list[str] = field(default_factory=list)


def start_preview(root: Path) -> Preview:
    process = subprocess.Popen(
        [sys.executable, "-m", "policypress", "serve", "-C", str(root), "--no-pdf", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # printed once the first build is done
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if match is None:
        process.kill()
        raise AssertionError(f"serve did not start: {line}{process.communicate()[1]}")
    return Preview(root, int(match.group(1)), process)


def stop_preview(preview: Preview) -> str:
    """Stop the server as Ctrl-C does and return everything it wrote to the terminal."""
    if preview.process.poll() is None:
        preview.process.send_signal(signal.SIGINT)
    _, err = preview.process.communicate(timeout=30)
    preview.stderr.append(err)
    return "".join(preview.stderr)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """The shipped project (a policy with a leaflet, three translations) in a running preview."""
    running = start_preview(copy_repo_project(tmp_path / "school"))
    try:
        yield running
    finally:
        stop_preview(running)


def request(
    port: int, target: bytes, headers: bytes = b"", host: bytes = b"127.0.0.1"
) -> tuple[int, dict[str, str], bytes]:
    """Send ``GET target`` byte for byte (no client library tidies it up) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: " + host + b"\r\n" + headers + b"\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    assert lines[0].startswith("HTTP/1."), lines[0]  # an answer, not a dropped connection
    answer = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        answer[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), answer, body


ERROR_EVENT = re.compile(rb"event: error-report\ndata: .*\n\n")


def events(port: int, seconds: float) -> str:
    """What the live-reload channel says to a page that connects now, within ``seconds``."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as conn:
        conn.sendall(f"GET {PREFIX}__policypress/events HTTP/1.0\r\n\r\n".encode())
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not ERROR_EVENT.search(received):
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
    return received.decode()


def wait_for_event(port: int, name: str, action: Callable[[], object], timeout: float = 30) -> str:
    """Connect, do ``action`` (a callable), and return the data of the first ``name`` event."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(f"GET {PREFIX}__policypress/events HTTP/1.0\r\n\r\n".encode())
        received = b""
        while b": connected" not in received:
            received += conn.recv(65536)
        action()
        deadline = time.monotonic() + timeout
        pattern = re.compile(rf"event: {name}\ndata: (.*)\n\n".encode())
        while (match := pattern.search(received)) is None:
            assert time.monotonic() < deadline, received
            received += conn.recv(65536)
    return str(json.loads(match.group(1)).get("message", ""))


HOSTILE = [
    PREFIX.encode() + b"a" * 256,
    PREFIX.encode() + b"a" * 300 + b"/index.html",
    PREFIX.encode() + b"%61" * 300,
    PREFIX.encode() + b"x" * 4000,
    PREFIX.encode() + b"abc/" * 5000,  # 20,000 characters in all
    PREFIX.encode() + b"%00",
    PREFIX.encode() + b"index.html%00.txt",
    PREFIX.encode() + b"a\x00b",
    PREFIX.encode() + b"%2e%2e/policypress.toml",
    PREFIX.encode() + b"%2e%2e%2f%2e%2e%2fpolicypress.toml",
    PREFIX.encode() + b"..%5c..%5cpolicypress.toml",
    PREFIX.encode() + b"..\\..\\policypress.toml",
    PREFIX.encode() + b"%c0%ae%c0%ae/policypress.toml",  # an over-long UTF-8 dot
    PREFIX.encode() + b"%ff%fe%fd/",
    PREFIX.encode() + b"\xff\xfe",
    PREFIX.encode() + b"index.html/x",
    PREFIX.encode() + b"index.html/" + b"b" * 300,
    b"/../../policypress.toml",
    b"//evil.example/",
]


def test_hostile_paths_get_a_clean_answer_and_no_traceback(preview: Preview) -> None:
    for target in HOSTILE:
        status, _, _ = request(preview.port, target)
        assert status in (400, 404, 414), (target[:60], status)
    assert request(preview.port, PREFIX.encode() + b"a" * 70_000)[0] == 414
    assert request(preview.port, PREFIX.encode(), b"X-Long: " + b"h" * 70_000 + b"\r\n")[0] in (
        400,
        431,
    )
    status, _, body = request(preview.port, PREFIX.encode())
    assert status == 200 and b"Social Media Policy" in body  # still serving
    terminal = stop_preview(preview)
    assert "Traceback" not in terminal
    assert "could not answer" not in terminal  # nor a one-line report of an exception


def test_a_broken_save_is_shown_as_check_shows_it(preview: Preview) -> None:
    policy = preview.root / POLICY
    lines = policy.read_text(encoding="utf-8").split("\n")
    assert lines[1] == "title: Social Media Policy"
    lines[1] = 'title: "Social Media Policy'  # an unclosed quote on line 2

    def save() -> None:
        policy.write_text("\n".join(lines), encoding="utf-8")

    overlay = wait_for_event(preview.port, "error-report", save)
    check = subprocess.run(
        [sys.executable, "-m", "policypress", "check", "-C", str(preview.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1
    assert overlay.startswith(f"{POLICY}:2:8: this quote is not closed"), overlay
    assert overlay in check.stderr  # the same file:line:col, message and hint
    errors = [
        line for line in check.stderr.splitlines() if re.match(r"\S+:\d+(:\d+)?: [a-z]", line)
    ]
    assert errors == [overlay.splitlines()[0]]  # one error, and no "leaflet belongs to no policy"
    assert "belongs to no policy" not in overlay + check.stderr


def test_a_page_opened_after_a_broken_save_shows_the_error_until_fixed(preview: Preview) -> None:
    assert "error-report" not in events(preview.port, 1)
    policy = preview.root / POLICY
    good = policy.read_text(encoding="utf-8")
    wait_for_event(
        preview.port,
        "error-report",
        lambda: policy.write_text(
            good.replace("title: Social Media", "title: Social: Media"), "utf-8"
        ),
    )
    for _ in range(2):  # every fresh page load, not only the first
        assert f"{POLICY}:2:" in events(preview.port, 5)
    wait_for_event(preview.port, "reload", lambda: policy.write_text(good, "utf-8"))
    assert "error-report" not in events(preview.port, 1)


def test_every_answer_carries_the_security_headers(preview: Preview) -> None:
    status, headers, body = request(preview.port, PREFIX.encode())
    assert status == 200
    meta = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]*)"', body)
    assert meta is not None
    assert headers["content-security-policy"] == html.unescape(meta.group(1).decode())
    assert headers["content-security-policy"] == CSP
    assert "unsafe-inline" not in CSP and "script-src 'self'" in CSP
    # The live-reload script is a same-origin file, so "script-src 'self'" allows it.
    scripts = re.findall(rb"<script[^>]*>", body)
    assert scripts == [f'<script src="{PREFIX}__policypress/live.js" defer>'.encode()]
    for target in (
        PREFIX.encode(),
        f"{PREFIX}__policypress/live.js".encode(),
        f"{PREFIX}assets/site.css".encode(),
        f"{PREFIX}no-such-page/".encode(),
        PREFIX.encode() + b"a" * 300,
        PREFIX.encode() + b"a" * 70_000,  # http.server's own error page
        b"/",  # the redirect to the site
    ):
        status, headers, _ = request(preview.port, target)
        assert headers["content-security-policy"] == CSP, target[:40]
        assert headers["x-content-type-options"] == "nosniff", target[:40]
        assert headers["referrer-policy"] == "no-referrer", target[:40]
    assert request(preview.port, f"{PREFIX}__policypress/live.js".encode())[1][
        "content-type"
    ].startswith("text/javascript")


@pytest.mark.slow  # waits out the preview's quiet periods
def test_each_save_reloads_the_page_once(preview: Preview) -> None:
    # Publishing changes the project folder, which is watched for policypress.toml: those
    # changes made each save rebuild and reload the page three times.
    policy = preview.root / POLICY
    good = policy.read_text(encoding="utf-8")
    with socket.create_connection(("127.0.0.1", preview.port), timeout=1) as conn:
        conn.sendall(f"GET {PREFIX}__policypress/events HTTP/1.0\r\n\r\n".encode())
        received = b""
        for number in range(1, 4):
            policy.write_text(good.replace("Headteacher", f"Head {number}", 1), "utf-8")
            # Until this save's reload has come, then a second more for any extra one it makes.
            deadline = time.monotonic() + 15
            settled: float | None = None
            while time.monotonic() < (settled or deadline):
                with contextlib.suppress(TimeoutError):
                    received += conn.recv(65536)
                if settled is None and received.count(b"event: reload") >= number:
                    settled = time.monotonic() + 1
            assert received.count(b"event: reload") == number, received
    assert "Rebuilt the web pages" in stop_preview(preview)


def test_a_page_under_another_name_is_refused(preview: Preview) -> None:
    """DNS rebinding: a page on another site whose name resolves to 127.0.0.1 gets nothing."""
    target = PREFIX.encode()
    port = str(preview.port).encode()
    for host in (b"127.0.0.1:" + port, b"localhost:" + port, b"[::1]:" + port, b"localhost"):
        status, _, _ = request(preview.port, target, host=host)
        assert status == 200, host
    for host in (b"attacker.example:" + port, b"attacker.example", b"127.0.0.1.nip.io:" + port):
        status, _, body = request(preview.port, target, host=host)
        assert status == 421, host
        assert b"policy" not in body.lower()
