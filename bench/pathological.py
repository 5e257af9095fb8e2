"""Figures for pathological input, printed (not a test: it asserts nothing). Usage:

    python bench/pathological.py            # headings, nesting, tables, front matter
    python bench/pathological.py --size     # also a web-only build of a policy at the size limit

Heading ids were quadratic in the number of identical headings (2,000: 3.8 s, 5,000: 17.6 s for
`check`); each figure here is `check` of one policy made of N `## Section` headings, wall-clock
seconds in this process, median of 3."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policypress.content.rendering import render_markdown  # noqa: E402
from policypress.content.source import MAX_SOURCE_BYTES  # noqa: E402
from policypress.engine.build import BuildOptions, build_site  # noqa: E402
from policypress.engine.cache import CACHE_DIR  # noqa: E402
from policypress.errors import PolicyError  # noqa: E402
from policypress.lint import run_checks  # noqa: E402

CONFIG = """\
[school]
name = "St Bench's"
short_name = "St Bench's"
address = "1 School Lane"
phone = "01234 567890"
email = "office@stbench.sch.uk"
[site]
base_url = "https://stbench.sch.uk/policies/"
complaints_policy_url = "https://stbench.sch.uk/policies/complaints/"
accessibility_contact = "office@stbench.sch.uk"
languages = []
"""


def project(folder: Path, body: str) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "policypress.toml").write_text(CONFIG, encoding="utf-8")
    text = f"---\ntitle: Bench Policy\n---\n\n{body}\n"
    (folder / "content" / "bench-policy.md").write_text(text, encoding="utf-8")
    return folder


def median_time(action: Callable[[], object], rounds: int = 3, cache: Path | None = None) -> float:
    """Median seconds of ``action``, the build cache (if any) emptied before each round."""
    times = []
    for _ in range(rounds):
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        with contextlib.suppress(PolicyError):
            action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", action="store_true", help="also build a 1 MB policy")
    parser.add_argument(
        "--size-pdfs", action="store_true", help="with --size, its PDFs too (minutes)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for count in (2_000, 5_000, 20_000):
            body = "\n\n".join("## Section\n\nText." for _ in range(count))
            root = project(Path(tmp) / f"headings-{count}", body)
            seconds = median_time(lambda root=root: run_checks(root), cache=root / CACHE_DIR)
            print(f"check, {count:,} identical headings (median of 3): {seconds:.2f} s")
        cases = {
            "Markdown list 500 levels deep": "\n".join(" " * 4 * n + "- x" for n in range(500)),
            "quotes 500 levels deep": ">" * 500 + " x",
            "table of 10,000 rows": "| a |\n|---|\n" + "\n".join(f"| {n} |" for n in range(10_000)),
        }
        for name, body in cases.items():
            seconds = median_time(lambda body=body: render_markdown(body))
            print(f"render, {name} (refused at its line; median of 3): {seconds:.3f} s")
        laughs = "\n".join(
            f"{c}: &{c} [" + ",".join([f"*{p}"] * 9 if p else ['"lol"'] * 9) + "]"
            for p, c in zip(" abcdefgh", "abcdefghi", strict=True)
        )
        root = project(Path(tmp) / "laughs", "Text.")
        (root / "content" / "bench-policy.md").write_text(
            f"---\n{laughs}\ntitle: *i\n---\n\nText.\n", encoding="utf-8"
        )
        seconds = median_time(lambda: run_checks(root), cache=root / CACHE_DIR)
        print(f"check, billion-laughs front matter (refused; median of 3): {seconds:.3f} s")
        if args.size:
            paragraph = "The school keeps children safe online, in school and at home. " * 12
            body = "\n\n".join(
                f"## Part {n}\n\n{paragraph}"
                for n in range(MAX_SOURCE_BYTES // (len(paragraph) + 20))
            )
            root = project(Path(tmp) / "size", body)
            size = (root / "content" / "bench-policy.md").stat().st_size
            mode = "all" if args.size_pdfs else "none"
            started = time.perf_counter()
            build_site(root, BuildOptions(output=root / "output", pdf_mode=mode))
            print(
                f"build of one {size / 1_000_000:.2f} MB policy (PDFs: {mode}): "
                f"{time.perf_counter() - started:.2f} s"
            )


if __name__ == "__main__":
    main()
