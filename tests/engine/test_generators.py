"""The engine as generators: a format is one registered module, the Site is read-only, the
preview's PDF modes are a type, and `check` needs nothing of the build's machinery."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

import pytest

from policypress.engine import registry
from policypress.engine.build import BuildOptions, PdfMode
from policypress.engine.lock import lock_path
from policypress.engine.outputs import Outputs, Stage
from policypress.engine.site import Site, open_site
from policypress.lint import run_checks
from policypress.render import urls
from tests.conftest import build


class WordCounts:
    """A small real format: each policy's word count, as text, in every language."""

    name = "word-counts"
    stage = Stage.FILES
    listed: ClassVar[Mapping[str, int]] = {"words": 8}  # on the policy's page, after the others

    def plan(self, site: Site) -> list[tuple[str, str, bytes]]:
        return [
            (slug, lang, str(len(view.body.html.split())).encode())
            for (slug, lang), view in sorted(site.views.items())
        ]

    def emit(self, site: Site, plan: Iterable[tuple[str, str, bytes]], outputs: Outputs) -> None:
        for slug, lang, data in plan:
            path = urls.policy_page(slug, lang).replace("index.html", "words.txt")
            outputs.add(data, path=path, kind="asset", policy=slug, lang=lang, variant="words")


def test_a_registered_generator_is_published_with_no_change_to_the_hub(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "GENERATORS", (*registry.GENERATORS, WordCounts()))
    result = build(project, pdf_mode="none")
    published = project / "output" / "site" / "behaviour-policy" / "words.txt"
    assert int(published.read_text()) > 10
    assert result.files["behaviour-policy/words.txt"].variant == "words"
    page = (project / "output" / "site" / "behaviour-policy" / "index.html").read_text()
    assert 'href="words.txt"' in page  # listed with the policy's other formats


def test_the_pages_list_every_leaflet_page_of_every_language(shipped_web: Path) -> None:
    # The leaflets are made before any page, so the first language's formats page lists the
    # later languages' leaflet pages too (it did not when pages and leaflets were one loop).
    formats = (shipped_web / "site" / "formats" / "index.html").read_text(encoding="utf-8")
    for code in ("pl", "ur", "ar"):
        assert f"../{code}/social-media-policy/leaflet/" in formats


def test_the_site_cannot_be_changed_by_a_generator(project: Path) -> None:
    site = open_site(project, BuildOptions(output=project / "output", pdf_mode=PdfMode.NONE))
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.languages = ()  # type: ignore[misc]


def test_two_outputs_for_one_path_are_refused(project: Path) -> None:
    site = open_site(project, BuildOptions(output=project / "output"))
    outputs = Outputs(site.cache)
    outputs.add(b"one", path="a.txt", kind="asset")
    with pytest.raises(AssertionError, match=r"a\.txt"):
        outputs.add(b"two", path="a.txt", kind="asset")


def test_a_misspelt_pdf_mode_fails_and_a_string_still_works(tmp_path: Path) -> None:
    assert BuildOptions(output=tmp_path, pdf_mode="cached").pdf_mode is PdfMode.CACHED  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="chached"):
        BuildOptions(output=tmp_path, pdf_mode="chached")  # type: ignore[arg-type]


def test_check_needs_no_output_lock_and_writes_nothing(project: Path) -> None:
    run_checks(project)
    assert not (project / "output").exists()
    assert not lock_path(project / "output").exists()
