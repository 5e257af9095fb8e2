"""`check`: every problem in the content, settings and translations, found in one run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policypress.checks import editorial_notes, review_dates, unmarked_language_parts
from policypress.errors import Finding, PolicyError


def run_checks(root: Path, today: dt.date | None = None, *, strict: bool = False) -> list[Finding]:
    """``strict``: a policy past its review date is an error, not a warning."""
    # The Site and its views only: no PDF workers, no writer, no lock on the output.
    from policypress.engine.options import BuildOptions, PdfMode
    from policypress.engine.site import open_site
    from policypress.reviews.schedule import today as reviews_today

    findings: list[Finding] = []
    try:
        site = open_site(root, BuildOptions(output=root / "output", pdf_mode=PdfMode.NONE))
    except PolicyError as exc:
        return list(getattr(exc, "findings", [exc.finding]))
    site = site.with_views()
    findings.extend(site.findings)
    findings.extend(review_dates(site.project, today or reviews_today(), strict=strict))
    findings.extend(editorial_notes(site.project))
    from policypress.versions.archive import archive_findings

    findings.extend(archive_findings(site.project))
    from policypress.render.fontcoverage import font_coverage

    sources = [doc.path for doc in site.project.policies]
    sources += [leaf.path for leaf in site.project.leaflets.values()]
    catalogs = {
        code: [c.path for c in [files.interface, *files.documents.values()] if c is not None]
        for code, files in site.catalogs.items()
    }
    findings.extend(font_coverage(site.root, site.languages, sources, catalogs))
    findings.extend(unmarked_language_parts(catalogs))
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(findings, key=lambda f: order.get(f.severity, 3))
