"""Property-based: whatever Markdown, front matter or PO file the office or a translator writes,
the build succeeds or fails with policypress's own error, and never leaves a partial output."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policypress.engine.build import BuildOptions, build_site
from policypress.errors import PolicyError
from tests.conftest import CONFIG

markdown_pieces = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "- ",
        "a. ",
        "1. ",
        "    ",
        "> ",
        "**",
        "*",
        "`",
        "[",
        "](",
        ")",
        "![",
        "[^1]",
        "[^1]: ",
        "|",
        "---",
        "\n",
        "\n\n",
        "<",
        ">",
        "<b>",
        "</b>",
        "<script>",
        "{phone}",
        "{#id}",
        "&amp;",
        "\t",
        "é",
        "ش",
        "\u200f",
        "http://",
        "javascript:",
        "x.md#a",
    ]
)
text = st.lists(st.one_of(markdown_pieces, st.text(max_size=8)), max_size=40).map("".join)
front_values = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.dates().map(str),
    st.just("[unclosed"),
    st.just("- a\n- b"),
)
front = st.dictionaries(
    st.sampled_from(["title", "summary", "version", "adopted", "next_review", "owner", "titel"]),
    front_values,
    max_size=5,
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def build_once(policy_text: str, po_text: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        config = (
            CONFIG if po_text is None else CONFIG.replace("languages = []", 'languages = ["pl"]')
        )
        (root / "policypress.toml").write_text(config, encoding="utf-8")
        (root / "content" / "policy.md").write_text(policy_text, encoding="utf-8")
        if po_text is not None:
            (root / "translations" / "pl").mkdir(parents=True)
            (root / "translations" / "pl" / "policy.po").write_text(po_text, encoding="utf-8")
        output = root / "output"
        failure: PolicyError | None = None
        try:
            build_site(root, BuildOptions(output=output, pdf_mode="none", cache_dir=root / "cache"))
        except PolicyError as error:
            failure = error
        if failure is not None:
            assert failure.format(root)
            assert not output.exists()
        else:
            assert (output / "manifest.json").is_file()
            assert (output / "site" / "policy" / "index.html").is_file()
        assert not [p for p in root.iterdir() if ".staging-" in p.name]
        shutil.rmtree(root / "cache", ignore_errors=True)


@pytest.mark.slow  # one whole build per example
@SETTINGS
@given(body=text)
def test_any_markdown_body_builds_or_fails_cleanly(body: str) -> None:
    build_once(f"---\ntitle: Anything\n---\n{body}\n")


@SETTINGS
@given(meta=front, body=text)
def test_any_front_matter_builds_or_fails_cleanly(meta: dict[str, object], body: str) -> None:
    lines = "\n".join(f"{key}: {value}" for key, value in meta.items())
    build_once(f"---\n{lines}\n---\n{body}\n")


@SETTINGS
@given(entries=st.lists(st.tuples(text, text), max_size=6), junk=st.text(max_size=30))
def test_any_po_file_builds_or_fails_cleanly(entries: list[tuple[str, str]], junk: str) -> None:
    def quote(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    for msgid, msgstr in entries:
        po += f'msgctxt "intro"\nmsgid {quote(msgid or "x")}\nmsgstr {quote(msgstr)}\n\n'
    build_once("---\ntitle: T\n---\n\nHello.\n", po + junk)
