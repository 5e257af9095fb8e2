"""Speed figures for policypress, printed in one run on this machine (not a test: it asserts
nothing). Usage:

    python bench/run.py            # the shipped project, mkdocs and raw WeasyPrint beside it
    python bench/run.py --scale    # also a synthetic trust: 100 policies in 4 languages
    python bench/run.py --against none   # without the cold builds of the old PDF pool
    python bench/run.py --cold-only --rounds 3   # the cold build, raw WeasyPrint and CPU alone

Every figure is wall-clock seconds; "median of N" where a step is repeated. The cold builds and
the raw WeasyPrint passes they are compared with take turns (each raw pass in a new, warmed-up
process), so that a machine whose speed drifts during the run slows both alike. So do the cold
builds of this tree with its plain process pool, of this tree with its workers forked from
multiprocessing's fork server with WeasyPrint preloaded (POLICYPRESS_PDF_POOL=forkserver), and of
the package at ``--against`` (by default the last version with the old hand-written PDF pool,
which also does less: no braille, EPUB, structure repair or /ActualText), run from a copy of that
version's package."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policypress.engine.build import BuildOptions, build_site  # noqa: E402

PYTHON = sys.executable
ROUNDS = 5  # cold builds, and raw WeasyPrint passes between them
# The last version with the fork-server PDF pool, which the plain process pool replaced.
FORKSERVER_POOL = "c1a68aab884ce0ea739a9d6f97946502af6620df"


def copy_project(dest: Path, packages: Path | None = None) -> Path:
    """A copy of the shipped project; for the package in ``packages`` (an older version), with
    that version's templates, since a project's templates/ overrides the defaults and today's
    use variables an older package does not know (it makes no braille or EPUB either, so its
    cold build does less work than this tree's)."""
    names = ["content", "translations", "templates", "policypress.toml"]
    if packages is None:
        names.append("archive")  # released versions: an older package knows none
    for name in names:
        source = REPO / name
        if name == "templates" and packages is not None and (packages / "templates").is_dir():
            source = packages / "templates"  # versions from before the templates were packaged
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    if packages is not None:
        # An older package refuses sections it does not know (such as [reviews]).
        config = dest / "policypress.toml"
        config.write_text(_without_sections(config.read_text(), ("reviews",)))
        for policy in (dest / "content").glob("*.md"):
            policy.write_text(re.sub(NEWER_KEYS, "", policy.read_text()))
    return dest


# Front matter keys newer than the old PDF pool's package, which refuses keys it does not know.
NEWER_KEYS = re.compile(
    r"(?m)^(review_cycle|statutory|statutory_name|approved_by|approved_on):.*\n"
)


def _without_sections(text: str, sections: tuple[str, ...]) -> str:
    """A policypress.toml without the named [sections] (their headers, keys and comments)."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            skipping = header.group(1).strip() in sections
        elif skipping and line.lstrip().startswith("#"):
            continue
        if not skipping:
            kept.append(line)
    return "".join(kept)


def _tree_rss(pid: int) -> int:
    """Resident memory (kB) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        match = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry.name)] = int(match.group(1)) if match else 0
    tree = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    return sum(rss.get(p, 0) for p in tree)


def package_at(revision: str, dest: Path) -> Path | None:
    """The policypress package and its default templates as they were at ``revision``, in a
    folder to put on PYTHONPATH; None if git cannot give them."""
    dest.mkdir(parents=True)
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", revision, "policypress", *_templates_at(revision)],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return dest


def _templates_at(revision: str) -> list[str]:
    """The root templates/ folder, for versions from before the defaults moved into the
    package."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-tree", "--name-only", revision, "templates"],
        capture_output=True,
        text=True,
    ).stdout
    return ["templates"] if listed.strip() else []


def timed_cli(
    root: Path,
    *args: str,
    sample_memory: bool = False,
    packages: Path | None = None,
    pool: str = "",
) -> tuple[float, int]:
    """Run ``policypress build`` in a fresh process (with the package in ``packages``, if
    given): seconds and, with ``sample_memory``, the peak resident memory (MB) of the build and
    all its PDF workers together, sampled every 20 ms. Sampling reads all of /proc and takes CPU
    from the build, so a timed run does not sample."""
    env = dict(os.environ)
    if pool:
        env["POLICYPRESS_PDF_POOL"] = pool  # how this tree starts its PDF workers
    if packages is not None:
        env["PYTHONPATH"] = str(packages)
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "-m", "policypress", "build", "-C", str(root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=packages or REPO,
    )
    peak = 0
    if sample_memory:
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.02)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(stderr.decode() or "build failed")
    return seconds, peak // 1024


def timed_build(root: Path, **options: object) -> float:
    started = time.perf_counter()
    build_site(root, BuildOptions(output=root / "output", **options))  # type: ignore[arg-type]
    return time.perf_counter() - started


def edit_paragraph(root: Path, counter: int) -> None:
    policy = root / "content" / "social-media-policy.md"
    text = policy.read_text(encoding="utf-8")
    text = re.sub(
        r"used privately\.( \(edit \d+\))?", f"used privately. (edit {counter})", text, count=1
    )
    policy.write_text(text, encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values)


def serve_latency(root: Path, edits: int = 5) -> list[float]:
    """Save -> the open page is told to reload, through the real server's event stream."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [PYTHON, "-m", "policypress", "serve", "-C", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        assert server.stdout is not None
        for line in server.stdout:
            if "Previewing at" in line or time.monotonic() > deadline:
                break
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # type: ignore[union-attr]
        prefix = "/policies/"
        sock = socket.create_connection(("127.0.0.1", port))
        # The preview answers only requests addressed to it by name (no DNS rebinding).
        request = f"GET {prefix}__policypress/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        sock.sendall(request.encode())
        sock.settimeout(60)
        buffer = b""
        while b"connected" not in buffer:
            chunk = sock.recv(4096)
            if not chunk:
                raise SystemExit(f"the preview refused its event stream: {buffer[:200]!r}")
            buffer += chunk
        times = []
        for n in range(edits):
            time.sleep(1.0)
            sock.setblocking(False)  # forget events from the previous edit
            try:
                while sock.recv(65536):
                    pass
            except BlockingIOError:
                pass
            sock.settimeout(60)
            buffer = b""
            started = time.perf_counter()
            edit_paragraph(root, 1000 + n)
            while b"event: reload" not in buffer:
                chunk = sock.recv(4096)
                if not chunk:
                    raise SystemExit("the preview closed its event stream")
                buffer += chunk
            times.append(time.perf_counter() - started)
        sock.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def first_preview(root: Path) -> float:
    """``serve`` with an empty cache and no output: seconds from the command to the policy's
    page being served (the PDFs follow in the background)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "policypress", "serve", "-C", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/policies/social-media-policy/"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    answer.read()
                return time.perf_counter() - started
            except OSError:
                if time.perf_counter() - started > 300 or server.poll() is not None:
                    raise RuntimeError("the preview never served the page") from None
                time.sleep(0.02)
    finally:
        server.terminate()
        server.wait(timeout=60)


def mkdocs_time(root: Path) -> float | None:
    """`mkdocs build` with the Material theme on the same English policy."""
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        return None
    site = root / "mkdocs"
    (site / "docs").mkdir(parents=True)
    body = (REPO / "content" / "social-media-policy.md").read_text(encoding="utf-8")
    body = body.split("\n---\n", 1)[1]
    (site / "docs" / "index.md").write_text("# Social Media Policy\n" + body, encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Policies\ntheme:\n  name: material\n", encoding="utf-8"
    )
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "-m", "mkdocs", "build", "-q"], cwd=site, check=True, capture_output=True
        )
        runs.append(time.perf_counter() - started)
    return median(runs)


class RawWeasyPrint:
    """WeasyPrint's Python API rendering the same print HTML as the build, one document after
    another, in one warm process: what the PDFs cost without policypress."""

    def __init__(self, root: Path) -> None:
        from policypress.engine.pdfs import plan_pdfs
        from policypress.engine.site import open_site
        from policypress.render.pdf import PrintRenderer

        site = open_site(root, BuildOptions(output=root / "raw-out")).with_views()
        fonts_css = PrintRenderer(site.project, site.languages[0], None, 18).fonts_css()
        self.jobs = list(plan_pdfs(site, fonts_css))
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.fonts = CSS(string=fonts_css, font_config=self.font_config)
        self.base = (root / "content").as_uri() + "/"
        self.render(self.jobs[0].html)  # warm up

    def render(self, html: str) -> None:
        from weasyprint import HTML

        HTML(string=html, base_url=self.base).write_pdf(
            stylesheets=[self.fonts], font_config=self.font_config, pdf_variant="pdf/ua-1"
        )

    def one_pass(self) -> tuple[float, float]:
        """Seconds to render every document once: wall clock, and this process's CPU."""
        started, cpu = time.perf_counter(), time.process_time()
        for job in self.jobs:
            self.render(job.html)
        return time.perf_counter() - started, time.process_time() - cpu


def raw_pass(root: Path) -> tuple[float, int, float]:
    """One pass of raw WeasyPrint over every document, in a new process of its own (warmed up
    with one document first), so that no pass inherits another's state: seconds, documents."""
    result = subprocess.run(
        [PYTHON, __file__, "--raw-pass", str(root)], capture_output=True, text=True, check=True
    )
    seconds, documents, cpu = result.stdout.split()
    return float(seconds), int(documents), float(cpu)


def braille_epub_share(tmp: Path, rounds: int = 3) -> None:
    """What braille and EPUB cost a cold build (the bar: at most 10%): in-process cold builds
    with and without their generators, taking turns, and the time those generators take inside
    the first (planning and emitting)."""
    from policypress.engine.braille import BrailleGenerator
    from policypress.engine.epubs import EpubGenerator

    generators: dict[str, type] = {"braille": BrailleGenerator, "EPUB": EpubGenerator}
    originals = {label: (cls.plan, cls.emit) for label, cls in generators.items()}
    spent = dict.fromkeys(generators, 0.0)

    def timed(label: str, method: object) -> object:
        def run(self: object, *args: object) -> object:
            start = time.perf_counter()
            try:
                return method(self, *args)  # type: ignore[operator]
            finally:
                spent[label] += time.perf_counter() - start

        return run

    with_them: list[float] = []
    without: list[float] = []
    try:
        for n in range(rounds):
            for skip in (False, True) if n % 2 == 0 else (True, False):
                for label, cls in generators.items():
                    plan, emit = originals[label]
                    cls.plan = (lambda self, site: []) if skip else timed(label, plan)
                    cls.emit = emit if skip else timed(label, emit)
                root = copy_project(tmp / f"share-{n}-{'without' if skip else 'with'}")
                (without if skip else with_them).append(timed_build(root))
    finally:
        for label, cls in generators.items():
            cls.plan, cls.emit = originals[label]
    full, bare = median(with_them), median(without)
    inside = {label: seconds / rounds for label, seconds in spent.items()}
    print(
        f"braille and EPUB in a cold in-process build (median of {rounds}, taking turns with "
        f"builds without them): {full:.2f} s with, {bare:.2f} s without: they add "
        f"{(full - bare) / full:.1%} (bar: 10%); their generators take {inside['braille']:.2f} s "
        f"(braille) and {inside['EPUB']:.2f} s (EPUB), {sum(inside.values()) / full:.1%} of "
        "the build's time, while the PDF workers render"
    )


def make_trust(root: Path, policies: int = 100) -> None:
    """A trust's worth of policies: copies of the shipped one, each with its own title."""
    source = (REPO / "content" / "social-media-policy.md").read_text(encoding="utf-8")
    for n in range(policies):
        slug = f"policy-{n:03d}"
        text = source.replace("title: Social Media Policy", f"title: Policy {n:03d}", 1)
        (root / "content" / f"{slug}.md").write_text(text, encoding="utf-8")
        for lang in ("pl", "ur", "ar"):
            po = root / "translations" / lang / "social-media-policy.po"
            shutil.copy2(po, root / "translations" / lang / f"{slug}.po")
    (root / "content" / "social-media-policy.md").unlink()
    shutil.rmtree(root / "content" / "leaflets")
    for lang in ("pl", "ur", "ar"):
        for old in (root / "translations" / lang).glob("social-media-policy*"):
            old.unlink()


LIGHTHOUSE_PAGES = [f"{lang}social-media-policy/" for lang in ("", "pl/", "ur/", "ar/")]


def page_figures(site: Path) -> None:
    """What a phone downloads on a first visit (390 px, cache off, plain http.server: files
    uncompressed) for every policy page and home page, and Lighthouse's mobile scores of the
    policy pages (Lighthouse's performance score drops when this machine is busy)."""
    import functools
    import http.server

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("page weights: Playwright not installed (pip install -e '.[test]')")
        return

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    pages = ["", "social-media-policy/", "formats/"]
    pages += [
        f"{lang}/{page}" for lang in ("pl", "ur", "ar") for page in ("", "social-media-policy/")
    ]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for page_path in pages:
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                sizes: list[int] = []
                cdp.on(
                    "Network.loadingFinished",
                    lambda e, found=sizes: found.append(e["encodedDataLength"]),
                )
                page.goto(base + page_path, wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                page.wait_for_load_state("networkidle")
                context.close()
                print(
                    f"page weight, /{page_path}: {sum(sizes) / 1000:.0f} KB in {len(sizes)} files"
                )
            browser.close()
        lighthouse = REPO / "node_modules" / ".bin" / "lighthouse"
        if not lighthouse.exists():
            print("Lighthouse: not installed (npm ci)")
            return
        for page_path in LIGHTHOUSE_PAGES:
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "report.json"
                subprocess.run(
                    [
                        str(lighthouse),
                        base + page_path,
                        "--quiet",
                        "--output=json",
                        f"--output-path={report}",
                        "--only-categories=performance,accessibility,best-practices",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    ],
                    check=True,
                    env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                )
                result = json.loads(report.read_text())
            scores = ", ".join(
                f"{name} {round(cat['score'] * 100)}" for name, cat in result["categories"].items()
            )
            print(f"Lighthouse (mobile), /{page_path}: {scores}")
    finally:
        httpd.shutdown()
        httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", action="store_true", help="also build a 100-policy trust")
    parser.add_argument(
        "--scale-pdfs",
        action="store_true",
        help="with --scale, build the trust's 1,200 PDFs too (slow)",
    )
    parser.add_argument(
        "--against",
        default=FORKSERVER_POOL,
        help="a git revision whose cold builds take turns with this tree's ('none': skip)",
    )
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help=f"cold builds of each kind (default {ROUNDS})"
    )
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="stop after the cold builds, raw WeasyPrint and their CPU (no rebuilds, pages, serve)",
    )
    parser.add_argument("--raw-pass", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw_pass:
        raw = RawWeasyPrint(args.raw_pass)
        seconds, cpu = raw.one_pass()
        print(f"{seconds:.4f} {len(raw.jobs)} {cpu:.4f}")
        return
    cores = os.cpu_count() or 1
    print(f"policypress benchmark: {cores} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        # The cold builds and the raw WeasyPrint passes take turns, so that both meet the same
        # moments of this (shared, noisy) machine; the ratio compares their medians.
        raw_root = copy_project(Path(tmp) / "raw")
        old = None if args.against == "none" else package_at(args.against, Path(tmp) / "old")
        colds: list[float] = []
        old_colds: list[float] = []
        raws: list[float] = []
        cpus: list[float] = []  # CPU seconds of this tree's cold builds, workers included
        forked: list[float] = []  # this tree, its workers started from a preloaded fork server
        raw_cpus: list[float] = []  # CPU seconds of the raw passes (steadier than wall clock)
        rounds = args.rounds
        for n in range(rounds):
            # Which pool goes first alternates, so neither always meets a cooler machine.
            turns = [(None, "spawn", colds), (None, "forkserver", forked)]
            turns += [] if old is None else [(old, "", old_colds)]
            for packages, pool, runs in turns if n % 2 == 0 else reversed(turns):
                project = copy_project(Path(tmp) / f"cold-{n}-{pool or 'old'}", packages)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                runs.append(timed_cli(project, packages=packages, pool=pool)[0])
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if pool == "spawn":
                    cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            seconds, documents, raw_cpu = raw_pass(raw_root)
            raws.append(seconds)
            raw_cpus.append(raw_cpu)
        cold = median(colds)
        raw_time = median(raws)
        root = copy_project(Path(tmp) / "school")
        _, peak = timed_cli(root, sample_memory=True)
        manifest = json.loads((root / "output" / "manifest.json").read_text())
        pdf_count = sum(1 for f in manifest["files"] if f["kind"] in ("pdf", "leaflet"))
        page_count = sum(1 for f in manifest["files"] if f["kind"] == "page")
        print(
            f"cold full build (new process, {page_count} pages, {pdf_count} PDFs, median of "
            f"{rounds}): {cold:.2f} s (runs {min(colds):.2f} to {max(colds):.2f})"
        )
        print(f"peak memory, build and PDF workers together: {peak} MB")
        print(
            f"raw WeasyPrint, the same {documents} documents one after another in one warm "
            f"process (median of {rounds}, taking turns with the cold builds): {raw_time:.2f} s "
            f"(runs {min(raws):.2f} to {max(raws):.2f})"
        )
        ratio = cold / (raw_time / cores)
        print(f"cold full build / (raw WeasyPrint / {cores} cores): {ratio:.2f}")
        cpu = median(cpus)
        raw_cpu = median(raw_cpus)
        print(
            f"CPU of a cold full build, build and workers together (median of {rounds}): "
            f"{cpu:.2f} s, {cpu / raw_time:.2f} x raw WeasyPrint's time (the rest: starting "
            "the workers, the leaflets' size search, structure repair and /ActualText, web "
            f"pages, braille, EPUB), so even with {cores} cores kept busy the ratio above "
            f"cannot be below {cpu / raw_time:.2f}; raw WeasyPrint's own CPU (median of "
            f"{rounds}): {raw_cpu:.2f} s, so the cold build's CPU is {cpu / raw_cpu:.2f} x its "
            "(CPU seconds vary less than wall-clock ones on a busy machine)"
        )
        fork = median(forked)
        print(
            f"cold full build, this tree with its workers forked from a server that has loaded "
            f"WeasyPrint (multiprocessing's forkserver, preloaded), taking turns with the above "
            f"(median of {rounds}): {fork:.2f} s (runs {min(forked):.2f} to {max(forked):.2f}); "
            f"the plain pool / this: {cold / fork:.2f} (the plain pool stays unless this is at "
            "least 10% faster)"
        )
        if args.cold_only:
            return
        braille_epub_share(Path(tmp))
        if old is None:
            print(f"old PDF pool ({args.against}): not compared")
        else:
            old_cold = median(old_colds)
            _, old_peak = timed_cli(
                copy_project(Path(tmp) / "old-school", old), sample_memory=True, packages=old
            )
            print(
                f"cold full build with the package at {args.against[:12]} (its PDF pool), "
                f"taking turns with the above (median of {rounds}): {old_cold:.2f} s (runs "
                f"{min(old_colds):.2f} to {max(old_colds):.2f}); peak memory {old_peak} MB; "
                f"/ (raw WeasyPrint / {cores} cores): {old_cold / (raw_time / cores):.2f}"
            )
            print(f"this tree's cold build / the one at {args.against[:12]}: {cold / old_cold:.2f}")
        noop = [timed_build(root) for _ in range(5)]
        print(f"no-op rebuild (in process, median of 5): {median(noop):.3f} s")
        noop_cli = [timed_cli(root)[0] for _ in range(3)]
        print(f"no-op rebuild (new process, median of 3): {median(noop_cli):.3f} s")
        html_edit = []
        for n in range(5):
            edit_paragraph(root, n)
            html_edit.append(timed_build(root, pdf_mode="previous"))
        print(
            f"one-paragraph edit, HTML of every language (median of 5): {median(html_edit):.3f} s"
        )
        full_edit = []
        for n in range(3):
            edit_paragraph(root, 100 + n)
            full_edit.append(timed_build(root))
        print(f"one-paragraph edit, everything incl. PDFs (median of 3): {median(full_edit):.2f} s")
        page_figures(root / "output" / "site")
        firsts = [first_preview(copy_project(Path(tmp) / f"first-{n}")) for n in range(3)]
        print(
            "serve: first preview, empty cache, command to the policy page served "
            f"(median of 3): {median(firsts):.2f} s"
        )
        latency = serve_latency(root)
        print(f"serve: save to reload (median of {len(latency)}): {median(latency):.3f} s")
        mk = mkdocs_time(Path(tmp))
        if mk is None:
            print("mkdocs build (Material): not installed (pip install -e '.[bench]')")
        else:
            # A no-op now renders nothing (the build stamp): the edit renders every page.
            html_all = median(html_edit)
            print(f"mkdocs build, Material, the English page alone (median of 3): {mk:.2f} s")
            print(f"policypress, the HTML of every language (in-process build): {html_all:.3f} s")
        if args.scale:
            trust = copy_project(Path(tmp) / "trust")
            make_trust(trust)
            mode = "all" if args.scale_pdfs else "none"
            started = time.perf_counter()
            build_site(trust, BuildOptions(output=trust / "output", pdf_mode=mode))
            print(
                f"trust (100 policies x 4 languages, PDFs: {mode}): full build "
                f"{time.perf_counter() - started:.2f} s"
            )
            print(
                f"trust: no-op rebuild (median of 3): "
                f"{median([timed_build(trust, pdf_mode=mode) for _ in range(3)]):.2f} s"
            )
            policy = trust / "content" / "policy-042.md"
            policy.write_text(policy.read_text().replace("used privately.", "used privately!"))
            print(f"trust: one-policy edit: {timed_build(trust, pdf_mode=mode):.2f} s")


if __name__ == "__main__":
    main()
