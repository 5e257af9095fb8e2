"""The PDFs, which have no Content-Security-Policy: no link action a reader's viewer would run,
nothing read from outside the project and nothing fetched from the network while they are made."""

from __future__ import annotations

import base64
import json
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from policypress.cli import cli
from policypress.engine.pdf_worker import FetchRefused, check_fetch, render_pdf
from policypress.layout import DEFAULT_TEMPLATES
from tests.conftest import CONFIG, build, write
from tests.content.test_link_safety import obfuscated_scheme

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SAFE = ("https:", "mailto:", "tel:")


@pytest.fixture(autouse=True, scope="module")
def _forget_fonts() -> Iterator[None]:
    """Documents rendered in this process leave WeasyPrint's font configuration behind: let it
    go while Python still runs (left for interpreter exit, its clean-up fails noisily)."""
    yield
    import gc

    from policypress.engine import pdf_worker

    pdf_worker._state.clear()
    gc.collect()


class Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine that records every request made to it."""
    requests: list[str] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def add_to_policy(project: Path, text: str) -> Path:
    policy = project / "content" / "behaviour-policy.md"
    policy.write_text(policy.read_text() + "\n" + text)
    return policy


def link_actions(pdf_path: Path) -> list[tuple[str, str]]:
    """Every link annotation's action in a PDF: (type, address or '')."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is None:
                    found.append(("/Dest", ""))
                    continue
                found.append((str(action.S), str(action.get("/URI", ""))))
    return found


def image_count(pdf_path: Path) -> int:
    """How many images a PDF holds, wherever they are used."""
    with pikepdf.open(pdf_path) as pdf:
        return sum(
            1
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def built_pdfs(output: Path) -> list[Path]:
    manifest = json.loads((output / "manifest.json").read_text())
    return [output / "site" / f["path"] for f in manifest["files"] if f["kind"] == "pdf"]


HOSTILE = (
    "## Links\n\n"
    "Read [one](&#106;avascript:alert(1)), [two](javascript&colon;alert(1)), "
    "[three](java&#09;script:alert(1)), [four](&#1;javascript:alert(1)), "
    "[five](data:text/html;base64,PHNjcmlwdD4=), [six](vbscript:msgbox(1)), "
    '[seven](file:///etc/passwd) and <a href="java&#10;script:alert(1)">eight</a>.\n\n'
    "Also [the rules](https://example.org/rules), [the council](http://example.gov.uk/a), "
    "[email](mailto:office@example.org), [phone](tel:+441234567890), "
    "[this section](#links), [the formats page](../formats/) and a note.[^1]\n\n"
    "[^1]: The note.\n"
)


def test_no_pdf_link_action_is_outside_https_mailto_and_tel(project: Path) -> None:
    add_to_policy(project, HOSTILE)
    result = build(project, jobs=1)
    pdfs = built_pdfs(project / "output")
    assert len(pdfs) == 3
    for pdf in pdfs:
        actions = link_actions(pdf)
        uris = [uri for kind, uri in actions if kind == "/URI"]
        assert all(uri.startswith(SAFE) for uri in uris), (pdf.name, uris)
        assert {kind for kind, _ in actions} <= {"/URI", "/GoTo", "/Dest"}, actions
        # The safe links are still there, the http:// one as https://.
        for wanted in (
            "https://example.org/rules",
            "https://example.gov.uk/a",
            "mailto:office@example.org",
            "tel:+441234567890",
            # A link within the site: to the published page, not a file on this computer.
            "https://sttests.sch.uk/policies/formats/",
        ):
            assert wanted in uris, (pdf.name, wanted)
    removed = [w for w in result.warnings if "unsafe" in w.message]
    assert len(removed) == 8
    assert all(w.path and w.path.name == "behaviour-policy.md" and w.line for w in removed)


def test_a_build_fetches_nothing_from_the_network(
    runner: CliRunner, project: Path, server: tuple[str, list[str]]
) -> None:
    address, requests = server
    policy = add_to_policy(
        project,
        f'![The logo]({address}/markdown.png)\n\n<p><img src="{address}/raw.png" alt="Logo"></p>\n',
    )
    lines = policy.read_text().splitlines()
    markdown_line = next(i for i, line in enumerate(lines, 1) if "markdown.png" in line)
    raw_line = next(i for i, line in enumerate(lines, 1) if "raw.png" in line)
    result = build(project, jobs=1)
    assert requests == []
    assert len(built_pdfs(project / "output")) == 3
    messages = {(w.line, w.message) for w in result.warnings}
    assert (markdown_line, f"removed an image from the web: {address}/markdown.png") in messages
    assert any(line == raw_line and "raw.png" in message for line, message in messages)
    check = runner.invoke(cli, ["check", "-C", str(project)])
    assert f"content/behaviour-policy.md:{markdown_line}:" in check.output
    assert f"content/behaviour-policy.md:{raw_line}:" in check.output
    assert requests == []


def test_the_pdf_renderer_refuses_the_network_and_files_outside_the_project(
    project: Path, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """The last line of defence, given HTML that never went through the sanitiser."""
    address, requests = server
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG)
    (outside / "other.png").write_bytes(PNG)
    images = project / "content" / "images"
    images.mkdir()
    (images / "allowed.png").write_bytes(PNG)
    (project / "content" / "notes.png.md").write_text("editorial notes")
    content_url = (project / "content").resolve().as_uri() + "/"

    def render(body: str) -> Any:
        html = f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body>'
        return render_pdf(html, content_url, "")

    allowed = render('<p><img src="images/allowed.png" alt="x"></p>')
    assert not allowed.warnings
    (tmp_path / "allowed.pdf").write_bytes(allowed.data)
    assert image_count(tmp_path / "allowed.pdf") > 0

    refused = render(
        f'<p><img src="{address}/img.png" alt="x"><img src="../../outside/other.png" alt="x">'
        f'<img src="{(outside / "secret.png").as_uri()}" alt="x"><img src="notes.png.md" alt="x">'
        "</p>"
        f'<link rel="stylesheet" href="{address}/style.css">'
    )
    assert requests == []
    (tmp_path / "refused.pdf").write_bytes(refused.data)
    assert image_count(tmp_path / "refused.pdf") == 0
    # WeasyPrint reports each refusal as an error: the build stops on it.
    assert len(refused.errors) == 5, refused.errors
    assert all("FetchRefused" in error for error in refused.errors)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "file://server/share/x.png",
        "file:///etc/passwd",
        "CONTENT/behaviour-policy.md",
        "CONTENT/../policypress.toml",
    ],
)
def test_the_url_fetcher_refuses(project: Path, url: str) -> None:
    content = (project / "content").resolve()
    url = url.replace("CONTENT", content.as_uri())
    with pytest.raises(FetchRefused):
        check_fetch(url, content, (DEFAULT_TEMPLATES.resolve(),))


def test_the_url_fetcher_allows_images_fonts_and_data(project: Path) -> None:
    content = (project / "content").resolve()
    font = DEFAULT_TEMPLATES / "assets" / "fonts" / "atkinson-hyperlegible-next" / "OFL.txt"
    for url in (
        (content / "images" / "hall.jpg").as_uri(),
        font.resolve().as_uri(),
        "data:image/svg+xml;base64,PHN2Zy8+",
    ):
        check_fetch(url, content, (DEFAULT_TEMPLATES.resolve(),))


@pytest.mark.slow  # the shipped build renders 16 PDFs
def test_no_link_action_in_the_shipped_pdfs_is_outside_https_mailto_and_tel(
    shipped: Path,
) -> None:
    pdfs = [
        shipped / "site" / f["path"]
        for f in json.loads((shipped / "manifest.json").read_text())["files"]
        if f["kind"] in ("pdf", "leaflet")
    ]
    assert len(pdfs) == 16
    uris = [uri for pdf in pdfs for kind, uri in link_actions(pdf) if kind == "/URI"]
    assert uris
    assert all(uri.startswith(SAFE) for uri in uris), [u for u in uris if not u.startswith(SAFE)]


def standard_pdf(root: Path) -> bytes:
    """The standard PDF of the project's one policy, made as a build makes it (the print HTML
    from the engine's plan, WeasyPrint with the workers' URL fetcher)."""
    from policypress.engine.build import BuildOptions
    from policypress.engine.pdfs import plan_pdfs
    from policypress.engine.site import open_site
    from policypress.i18n.languages import language
    from policypress.render.pdf import PrintRenderer

    site = open_site(root, BuildOptions(output=root / "output", cache_dir=root / ".cache"))
    site = site.with_views()
    assert not [f for f in site.findings if f.severity == "error"]
    fonts_css = PrintRenderer(site.project, language("en"), None, 18).fonts_css()
    job = next(job for job in plan_pdfs(site, fonts_css) if job.variant == "standard")
    result = render_pdf(job.html, (root / "content").resolve().as_uri() + "/", fonts_css)
    assert not result.errors
    return result.data


@settings(max_examples=6, deadline=None)
@given(addresses=st.lists(obfuscated_scheme(), min_size=5, max_size=12))
def test_no_obfuscated_script_address_becomes_a_pdf_link_action(addresses: list[str]) -> None:
    links = " ".join(f"[link {n}]({address})" for n, address in enumerate(addresses))
    raw = " ".join(f'<a href="{address}">raw {n}</a>' for n, address in enumerate(addresses))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root / "policypress.toml", CONFIG)
        write(
            root / "content" / "policy.md",
            # The control link stands in its own paragraph: how hostile text parses (a raw
            # <script> in one address, a bracket in another) may swallow what follows it in the
            # same paragraph, which is Markdown's business, not the link filter's.
            f"---\ntitle: Links\n---\n\n[safe](https://example.org/).\n\n{links}\n\n<p>{raw}</p>\n",
        )
        pdf = root / "policy.pdf"
        pdf.write_bytes(standard_pdf(root))
        actions = link_actions(pdf)
    uris = [uri for kind, uri in actions if kind == "/URI"]
    assert "https://example.org/" in uris
    assert all(uri.startswith(SAFE) for uri in uris), uris


def test_a_schools_own_fonts_are_read_from_its_templates_folder(
    project: Path, tmp_path: Path
) -> None:
    from policypress.engine.pdf_worker import project_url_fetcher

    own = project / "templates" / "assets" / "fonts" / "own.ttf"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"not really a font")
    elsewhere = tmp_path / "templates" / "assets" / "fonts" / "other.ttf"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_bytes(b"not really a font")
    fetcher = project_url_fetcher((project / "content").resolve().as_uri() + "/")
    response = fetcher.fetch(own.resolve().as_uri())
    try:
        assert response.read() == b"not really a font"
    finally:
        response.close()
    with pytest.raises(FetchRefused):
        fetcher.fetch(elsewhere.resolve().as_uri())
