"""The shared Jinja2 environment: a school's own template wins over the default, also when it
is added, or removed, while the process runs (the preview runs for hours)."""

from __future__ import annotations

from pathlib import Path

from policypress.engine.options import PdfMode
from policypress.layout import DEFAULT_TEMPLATES
from tests.conftest import build


def home_page(root: Path) -> str:
    build(root, pdf_mode=PdfMode.NONE)
    return (root / "output" / "site" / "index.html").read_text(encoding="utf-8")


def test_a_template_added_or_removed_while_the_process_runs_is_seen(project: Path) -> None:
    (project / "templates").mkdir()  # the school's folder exists, empty, as `new` makes it
    assert "Our own home page" not in home_page(project)  # the default home.html is loaded
    override = project / "templates" / "home.html"
    default = (DEFAULT_TEMPLATES / "home.html").read_text(encoding="utf-8")
    override.write_text(
        default.replace("{% block main %}", "{% block main %}<p>Our own home page</p>"), "utf-8"
    )
    assert "<p>Our own home page</p>" in home_page(project)  # added: it wins
    override.unlink()
    assert "Our own home page" not in home_page(project)  # removed: the default again
