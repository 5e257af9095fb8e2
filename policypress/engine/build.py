"""The build: open the ``Site`` once, check it, run every generator (each reuses what the cache
holds and renders the rest), and publish their outputs atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from policypress import __version__
from policypress.engine import buildstamp
from policypress.engine.lock import output_lock
from policypress.engine.options import BuildOptions, PdfMode
from policypress.engine.outputs import Generator, Outputs, Pending, Stage
from policypress.engine.site import Site, open_site
from policypress.engine.writer import claim_output, project_mark, publish
from policypress.errors import Finding, raise_if_errors
from policypress.render.files import BuiltFile

__all__ = ["BuildOptions", "BuildResult", "PdfMode", "build_site", "render_pdfs_into_cache"]

log = logging.getLogger(__name__)

GENERATOR = f"policypress {__version__}"


@dataclass
class BuildResult:
    files: dict[str, BuiltFile]
    rendered: int = 0
    reused: int = 0
    changed: bool = True
    warnings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, kind: str) -> int:
        return sum(1 for f in self.files.values() if f.kind == kind)


def checked(site: Site, strict: bool) -> list[Finding]:
    """Raise every error (and, with ``strict``, every warning as an error) found in the site's
    views, before anything is written; return the warnings."""
    errors = [f for f in site.findings if f.severity == "error"]
    warnings = [f for f in site.findings if f.severity == "warning"]
    if strict:
        errors += [
            Finding("error", f"(--strict) {w.message}", w.path, w.line, w.col, w.hint)
            for w in warnings
        ]
    raise_if_errors(errors)
    return warnings


def generate(site: Site, outputs: Outputs, generators: Sequence[Generator]) -> None:
    """Run each stage's generators in order. One whose ``emit`` yields (its work goes on in
    other processes) is resumed at the end of its stage, after the others of the stage."""
    for stage in Stage:
        with contextlib.ExitStack() as running:
            waiting: list[Pending] = []
            for generator in (g for g in generators if g.stage == stage):
                started = time.perf_counter()
                pending = generator.emit(site, generator.plan(site), outputs)
                if pending is not None:
                    running.enter_context(contextlib.closing(pending))
                    next(pending, None)
                    waiting.append(pending)
                log.debug("%s: %.2f s", generator.name, time.perf_counter() - started)
            for pending in waiting:
                for _ in pending:
                    pass


def build_site(root: Path, options: BuildOptions) -> BuildResult:
    """Build everything under ``root`` into ``options.output``, one build of a folder at a
    time (a second one waits, and says so through ``options.on_wait``). When nothing the
    output depends on has changed since the last build (:mod:`policypress.engine.buildstamp`),
    say what that build made, and do nothing."""
    from policypress.engine.registry import GENERATORS

    root = root.resolve()
    with output_lock(options.output, options.on_wait):
        started = time.perf_counter()
        last = buildstamp.last_build_if_unchanged(root, options)
        if last is not None:
            # Nothing the output depends on has changed since the last build made it.
            return BuildResult(
                files={entry["path"]: BuiltFile(**entry) for entry in last.files},
                reused=last.pdfs,
                changed=False,
                warnings=last.warnings,
                seconds=time.perf_counter() - started,
            )
        buildstamp.forget(root, options)  # whatever happens next, the old stamp is no more
        try:
            before: buildstamp.InputStamp | None = buildstamp.take_inputs(root, options)
        except (OSError, buildstamp.StampUnavailable):
            before = None
        site = open_site(root, options)
        # Refuse someone else's folder before the work, not after it.
        claim_output(options.output, project_mark(site.cache, site.root), "replace")
        site = site.with_views()
        warnings = checked(site, options.strict)
        outputs = Outputs(site.cache, GENERATORS)
        generate(site, outputs, GENERATORS)
        versions = {doc.slug: doc.meta.version or "" for doc in site.project.policies}
        changed = publish(options.output, outputs.files, site.cache, GENERATOR, site.root, versions)
        if before is not None:
            with contextlib.suppress(OSError, buildstamp.StampUnavailable):
                buildstamp.store(
                    root,
                    options,
                    before,
                    [dataclasses.asdict(f) for f in outputs.files.values()],
                    warnings,
                    outputs.rendered + outputs.reused,
                    settle=changed,
                )
        return BuildResult(
            files=dict(outputs.files),
            rendered=outputs.rendered,
            reused=outputs.reused,
            changed=changed,
            warnings=warnings,
            seconds=time.perf_counter() - started,
        )


def render_pdfs_into_cache(root: Path, options: BuildOptions) -> None:
    """Render every slow file whose inputs changed (PDFs, braille, EPUBs) into the cache,
    without publishing anything (the preview does this in the background, then publishes with a
    quick cached build)."""
    from policypress.engine.registry import GENERATORS

    site = open_site(root, replace(options, pdf_mode=PdfMode.ALL)).with_views()
    raise_if_errors([f for f in site.findings if f.severity == "error"])
    files = [generator for generator in GENERATORS if generator.stage == Stage.FILES]
    generate(site, Outputs(site.cache, files), files)
