"""Builds at once into one output folder (the preview running while the office builds, or two
windows): they take turns, and the published site always matches its manifest."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policypress.serve import LiveChannel, Rebuilder
from tests.conftest import write

ROUNDS = 5
POLICIES = 20


def assert_site_matches_manifest(output: Path) -> None:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    site = output / "site"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    found = {p.relative_to(site).as_posix() for p in site.rglob("*") if not p.is_dir()}
    assert found == set(listed)
    for path, entry in listed.items():
        data = (site / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
    left = [p.name for p in output.parent.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    assert left == []


def edit(policy: Path, text: str) -> None:
    """Save as editors do: a new file moved over the old one, never half written."""
    tmp = policy.with_name(".saving.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, policy)


@pytest.mark.parametrize(
    "pdf_round",
    [
        pytest.param(False, id="web-only", marks=pytest.mark.slow),  # five rounds of builds
        pytest.param(True, id="with-pdfs", marks=pytest.mark.slow),  # renders PDFs three times
    ],
)
def test_two_builds_and_the_preview_into_one_folder_take_turns(
    project: Path, pdf_round: bool
) -> None:
    output = project / "output"
    for number in range(POLICIES):  # enough files that publishing takes a while
        write(
            project / "content" / f"policy-{number}.md",
            f"---\ntitle: Policy {number}\n---\n\n" + "A sentence of policy.\n\n" * 200,
        )
    policy = project / "content" / "behaviour-policy.md"
    original = policy.read_text(encoding="utf-8")
    rebuilder = Rebuilder(project, output, LiveChannel(), lambda text: None, pdf=False)
    rounds = 1 if pdf_round else ROUNDS
    for number in range(rounds):
        edit(policy, original.replace("kind", f"kind (round {number}a)"))
        commands = [
            [sys.executable, "-m", "policypress", "build", "-C", str(project), "-o", str(output)],
            [sys.executable, "-m", "policypress", "build", "-C", str(project), "-o", str(output)],
        ]
        commands[0].append("--no-pdf")
        if not pdf_round:
            commands[1].append("--no-pdf")
        processes = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for command in commands
        ]
        # Meanwhile, saves in the editor and the preview's rebuild of each, until both end.
        saves = 0
        while saves < 2 or any(process.poll() is None for process in processes):
            saves += 1
            edit(policy, original.replace("kind", f"kind (round {number}, save {saves})"))
            assert rebuilder.build("previous"), rebuilder.last_error
        for process in processes:
            _, errors = process.communicate(timeout=300)
            assert process.returncode == 0, errors.decode()
        assert_site_matches_manifest(output)
