"""policypress/compat.py: the version check, and one test per assumption it makes about another
package's internals, on real WeasyPrint and pydyf objects, so that an upgrade fails here, loudly,
and not in a school office."""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import pikepdf
import pydyf
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from policypress import compat
from policypress.engine.artifacts import add_file_identifier
from policypress.errors import PolicyError
from policypress.render.templating import make_environment, render_template
from tests.conftest import REPO

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Compat</title>
<style>@page { size: A6; @top-center { content: "RUNNING HEAD"; } }
.box { opacity: 0.9 }</style></head>
<body><h1>Compat</h1>{body}<div class="box"><p>Drawn in a group of its own.</p></div>
<p><a href="https://example.org/">A link</a></p></body></html>"""


@dataclass
class Rendered:
    """A two-page-or-more tagged WeasyPrint document, and its pydyf PDF as the finisher saw it."""

    document: Any
    pdf: Any
    data: bytes
    # What the finisher saw, before pydyf wrote the objects.
    catalog_root: Any
    kids: list[Any]


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    from weasyprint import HTML as Document

    seen: dict[str, Any] = {}

    def finisher(document: Any, pdf: Any) -> None:
        seen.update(pdf=pdf, root=pdf.catalog.get("StructTreeRoot"), kids=list(pdf.pages["Kids"]))

    body = "".join(f"<p>Paragraph {n} of the body text.</p>" for n in range(30))
    document = Document(string=HTML.replace("{body}", body)).render(pdf_variant="pdf/ua-1")
    data = document.write_pdf(pdf_variant="pdf/ua-1", finisher=finisher)
    assert len(document.pages) >= 2
    return Rendered(document, seen["pdf"], data, seen["root"], seen["kids"])


# --- the version check ---------------------------------------------------------------------


def _pyproject_bounds() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        name, _, spec = requirement.partition(">=")
        bounds[name.strip().lower()] = ">=" + spec.split(";")[0].strip()
    return bounds


def test_pyproject_bounds_every_dependency_above_and_below() -> None:
    for name, spec in _pyproject_bounds().items():
        assert ",<" in spec, f"{name} has no upper bound in pyproject.toml"


def test_pyproject_bounds_the_packages_whose_internals_are_used_as_compat_does() -> None:
    bounds = _pyproject_bounds()
    for name, (low, high) in compat.SUPPORTED.items():
        assert bounds[name] == f">={low},<{high}", name


def _locked() -> dict[str, str]:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, flags=re.M)
    }


def test_the_lock_pins_every_dependency_within_its_bounds() -> None:
    # A dependency added to pyproject.toml without running pip-compile fails here, not on a
    # fresh machine.
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = _locked()
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements.lock: run pip-compile (Makefile)"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements.lock pins {name}=={locked[name]}, outside {requirement.specifier}"
        )


def test_every_locked_package_has_hashes() -> None:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[-1])
    pinned = [entry for entry in entries if "==" in entry.split("\n", 1)[0]]
    assert len(pinned) == len(_locked()) > 20
    assert all("--hash=sha256:" in entry for entry in pinned)


def test_the_installed_versions_are_the_supported_ones() -> None:
    assert compat.unsupported_versions(compat.installed_versions()) == []


def test_a_version_outside_the_range_stops_with_the_supported_versions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(compat.ALLOW_UNTESTED, raising=False)
    installed = {**compat.installed_versions(), "weasyprint": "71.0", "pydyf": None}
    with pytest.raises(PolicyError) as caught:
        compat.check_versions(installed)
    message = caught.value.message
    assert "weasyprint 71.0 is installed; policypress supports weasyprint>=70,<71" in message
    assert "pydyf is not installed" in message
    assert "markdown" not in message
    assert compat.ALLOW_UNTESTED in (caught.value.finding.hint or "")


def test_older_releases_and_pre_releases_are_compared_by_their_numbers() -> None:
    versions = {"weasyprint": "70.1rc1", "pydyf": "0.13.2", "markdown": "3.5.2", "jinja2": "3.1"}
    assert compat.unsupported_versions(versions) == [
        "markdown 3.5.2 is installed; policypress supports markdown>=3.6,<4"
    ]


def test_untested_versions_may_be_allowed_on_purpose(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(compat.ALLOW_UNTESTED, "1")
    with caplog.at_level(logging.WARNING, logger="policypress.compat"):
        compat.check_versions({**compat.installed_versions(), "jinja2": "4.0.0"})
    assert "untested version: jinja2 4.0.0 is installed" in caplog.text


def test_the_command_line_stops_on_an_untested_weasyprint_without_a_traceback(
    tmp_path: Path, project: Path
) -> None:
    # A newer WeasyPrint's metadata, found before the real one on the path.
    info = tmp_path / "site" / "weasyprint-71.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: weasyprint\nVersion: 71.0\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != compat.ALLOW_UNTESTED}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "site"), str(REPO)])
    result = subprocess.run(
        [sys.executable, "-m", "policypress", "check", "-C", str(project)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "policypress supports weasyprint>=70,<71" in result.stderr
    assert "Traceback" not in result.stderr


# --- pydyf ---------------------------------------------------------------------------------


def test_pydyf_numbers_objects_by_their_place_and_writes_references_as_bytes(
    rendered: Rendered,
) -> None:
    objects = rendered.pdf.objects
    for number, obj in enumerate(objects[1:], start=1):
        assert obj.reference == f"{number} 0 R".encode()
        assert compat.resolve_reference(objects, obj.reference) is obj
    assert compat.resolve_reference(objects, b"/Span") == b"/Span"


def test_weasyprint_links_the_structure_tree_by_a_reference(rendered: Rendered) -> None:
    assert isinstance(rendered.catalog_root, bytes)
    root = compat.resolve_reference(rendered.pdf.objects, rendered.catalog_root)
    assert isinstance(root, pydyf.Dictionary)
    assert root["Type"] == "/StructTreeRoot"


def test_pydyf_keeps_page_kids_as_number_zero_r_triples(rendered: Rendered) -> None:
    kids = rendered.kids
    assert len(kids) == 3 * len(rendered.document.pages)
    assert kids[1::3] == [0] * len(rendered.document.pages)
    assert kids[2::3] == ["R"] * len(rendered.document.pages)
    pages = compat.page_objects(rendered.pdf)
    assert [page["Type"] for page in pages] == ["/Page"] * len(rendered.document.pages)


def test_pydyf_ends_the_file_with_a_cross_reference_stream_without_an_identifier(
    rendered: Rendered,
) -> None:
    data = rendered.data
    end = compat.STARTXREF_RE.search(data[-64:])
    assert end is not None
    head = data[int(end.group(1)) : data.find(b"stream", int(end.group(1)))]
    assert compat.XREF_STREAM_HEAD_RE.match(head)
    assert b"/ID" not in head


def test_the_identifier_spliced_into_the_cross_reference_stream_is_read_by_pikepdf(
    rendered: Rendered,
) -> None:
    data = add_file_identifier(rendered.data)
    assert data != rendered.data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        first, second = (bytes(part) for part in pdf.trailer.ID)
        assert first == second and len(first) == 16
        assert len(pdf.pages) == len(rendered.document.pages)


# --- WeasyPrint ----------------------------------------------------------------------------


def test_weasyprint_parent_tree_is_one_flat_number_tree_pages_first(rendered: Rendered) -> None:
    objects = rendered.pdf.objects
    root = compat.resolve_reference(objects, rendered.catalog_root)
    nums = compat.parent_tree_nums(root, lambda v: compat.resolve_reference(objects, v))
    keys, values = nums[0::2], nums[1::2]
    pages = len(rendered.document.pages)
    assert keys == list(range(len(keys)))
    # One array per page, indexed by marked-content id, of references to structure elements.
    for value in values[:pages]:
        assert isinstance(value, pydyf.Array) and len(value) > 0
        for element in value:
            assert compat.resolve_reference(objects, element)["Type"] == "/StructElem"
    # Then the link annotation: a number from the page count on, and one reference.
    assert len(keys) > pages
    assert all(isinstance(value, bytes) for value in values[pages:])


def test_weasyprint_streams_of_one_page_share_its_tags_and_mark_content_in_three_items(
    rendered: Rendered,
) -> None:
    objects = rendered.pdf.objects
    groups: list[list[Any]] = []
    for page in compat.page_objects(rendered.pdf):
        contents = compat.resolve_reference(objects, page["Contents"])
        tags = compat.stream_tags(contents)
        assert tags is not None
        groups.append([obj for obj in objects if compat.stream_tags(obj) is tags])
        assert contents in groups[-1]
    assert max(len(group) for group in groups) >= 2  # the opacity group's stream too
    sharing = [stream for group in groups for stream in group]
    marked = 0
    for stream in sharing:
        items = stream.stream
        for index, item in enumerate(items):
            if item == b"BDC":
                # "/Tag", a dictionary with the marked-content id, b"BDC": what artifacts.py edits.
                assert isinstance(items[index - 2], str) and items[index - 2].startswith("/")
                assert isinstance(items[index - 1], dict) and "MCID" in items[index - 1]
                marked += 1
    assert marked > 0
    assert compat.stream_tags(pydyf.Stream()) is None


def test_weasyprint_page_box_is_laid_out_with_positions_and_margins(rendered: Rendered) -> None:
    box = compat.page_box(rendered.document.pages[0])
    assert box.margin_top > 0 and box.margin_bottom > 0
    laid_out = [
        child
        for child in box.descendants()
        if getattr(child, "position_y", None) is not None and hasattr(child, "margin_height")
    ]
    assert laid_out
    assert all(child.margin_height() >= 0 for child in laid_out)


def test_weasyprint_writes_figure_boxes_in_css_pixels_from_the_top() -> None:
    # engine/figure_boxes.py converts them to PDF points from the bottom: if WeasyPrint starts
    # writing PDF space itself, that conversion must go.
    from weasyprint import HTML as Document

    dot = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
            "0000000d4944415478da63f8cfc0f01f0005000201a5f0d8e30000000049454e44ae426082"
        )
    ).decode("ascii")
    html = (
        '<!doctype html><html lang="en"><head><title>Figure</title><style>'
        "@page { size: A4; margin: 0 } body { margin: 0 }</style></head><body><p>Text</p>"
        f'<img src="data:image/png;base64,{dot}" alt="A dot" style="position: absolute; '
        'left: 100px; top: 50px; width: 40px; height: 20px"></body></html>'
    )
    boxes: list[list[float]] = []

    def finisher(document: Any, pdf: Any) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/Figure":
                boxes.append([float(v) for v in obj["A"]["BBox"]])

    Document(string=html).write_pdf(pdf_variant="pdf/ua-1", finisher=finisher)
    assert boxes == [[100.0, 50.0, 140.0, 70.0]]


# --- Markdown and Jinja2 -------------------------------------------------------------------


def test_markdown_stashes_raw_html_as_the_public_placeholder() -> None:
    md = markdown.Markdown()
    placeholder = md.htmlStash.store("<b>raw</b>")
    assert compat.HTML_PLACEHOLDER_RE.fullmatch(placeholder)


def test_jinja2_tracebacks_name_the_template_file_and_line(tmp_path: Path) -> None:
    # render_template reports a template mistake at its file:line, read from the traceback that
    # Jinja2 rewrites to point into the template.
    template = tmp_path / "templates" / "broken.html"
    template.parent.mkdir()
    template.write_text("<p>one</p>\n<p>two</p>\n<p>{{ missing.name }}</p>\n", encoding="utf-8")
    templates = make_environment(tmp_path, "en", lambda s: s, lambda s, p, n: s if n == 1 else p)
    with pytest.raises(PolicyError) as caught:
        render_template(templates, "broken.html", {})
    assert caught.value.path == template
    assert caught.value.line == 3
