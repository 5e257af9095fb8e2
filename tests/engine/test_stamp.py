"""The quick guess at whether a build will render PDFs: file names, sizes and times."""

from __future__ import annotations

import os
from pathlib import Path

from policypress.engine.stamp import inputs_stamp, record_build, unchanged_since_last_build


def test_the_stamp_changes_with_any_input_file_and_with_nothing_else(project: Path) -> None:
    first = inputs_stamp(project)
    assert inputs_stamp(project) == first
    (project / "output").mkdir(exist_ok=True)
    (project / "output" / "index.html").write_text("not an input")
    assert inputs_stamp(project) == first
    policy = next((project / "content").glob("*.md"))
    info = policy.stat()
    os.utime(policy, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))  # saved again
    touched = inputs_stamp(project)
    assert touched != first
    (project / "translations").mkdir(exist_ok=True)
    (project / "translations" / "new.po").write_text("")
    assert inputs_stamp(project) != touched


def test_a_recorded_build_is_recognised_until_an_input_changes(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    stamp = inputs_stamp(project)
    assert not unchanged_since_last_build(cache, stamp)  # never built
    record_build(cache, stamp)
    assert unchanged_since_last_build(cache, stamp)
    (project / "policypress.toml").write_text(
        (project / "policypress.toml").read_text() + "\n# edited\n"
    )
    assert not unchanged_since_last_build(cache, inputs_stamp(project))
