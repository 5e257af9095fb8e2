"""The command line: Click options, one call into the package, a printed result, an exit code.
Heavy modules are imported inside each command, so ``--help`` stays instant."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from policypress import __version__
from policypress.errors import Finding, PolicyError
from policypress.variants import LARGE_PRINT_DEFAULT, LARGE_PRINT_MAX, LARGE_PRINT_MIN

F = TypeVar("F", bound=Callable[..., Any])


class ReportedError(click.ClickException):
    """A PolicyError as the CLI shows it: file:line:col, what, how to fix; no traceback."""

    exit_code = 1

    def __init__(self, error: PolicyError, root: Path) -> None:
        super().__init__(error.message)
        self.error = error
        self.root = root

    def show(self, file: Any = None) -> None:
        click.echo(self.error.format(self.root), err=True)


def root_option(func: F) -> F:
    return click.option(
        "-C",
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="the current folder",
        help="The project folder (holding content/, templates/, translations/, policypress.toml).",
    )(func)


def output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Where to write the build (default: ROOT/output).",
    )(func)


def reports_errors(func: F) -> F:
    """Turn PolicyError into a clean message and exit code 1 (a traceback only with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        root = Path(kwargs.get("root") or ".").resolve()
        try:
            return func(*args, **kwargs)
        except PolicyError as error:
            if debug:
                raise
            raise ReportedError(error, root) from None
        except KeyboardInterrupt:
            click.echo("Stopped. The output folder is as it was before.", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as error:
            if debug:
                raise
            raise ReportedError(
                PolicyError(
                    f"policypress stopped on an unexpected problem: "
                    f"{type(error).__name__}: {error}",
                    hint="This is a bug in policypress, not in your files. Run the same command "
                    "with --debug and send the output to whoever looks after policypress. The "
                    "output folder was not changed.",
                ),
                root,
            ) from None

    return wrapper  # type: ignore[return-value]


def print_findings(findings: list[Finding], root: Path) -> None:
    for finding in findings:
        click.echo(finding.format(root), err=True)


class PdfProgress:
    """Prints "PDFs: 3 of 16 done" to the terminal during a long build: first after
    ``every`` seconds, then at most once every ``every`` seconds, so a quick build stays quiet."""

    def __init__(self, every: float = 10.0) -> None:
        self.every = every
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if 0 < done < total and now - self.last >= self.every:
            self.last = now
            click.echo(f"PDFs: {done} of {total} done", err=True)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check_languages(root: Path, langs: tuple[str, ...]) -> None:
    """``--lang`` must name a language the project has: anything else is a usage error (a typo
    must not publish an English-only site in place of the translated one)."""
    if not langs:
        return
    from policypress.config import load_config
    from policypress.i18n.catalog import available_languages

    known = ["en", *(load_config(root).site.languages or available_languages(root))]
    unknown = [lang for lang in langs if lang not in known]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not one of this project's languages: {', '.join(known)}.",
            param_hint="'--lang'",
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policypress")
@click.option("--debug", is_flag=True, help="Show full tracebacks and debug logging.")
def cli(debug: bool) -> None:
    """Turn a school's Markdown policies into an accessible website, PDFs and leaflets."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@reports_errors
def new(folder: Path) -> None:
    """Start a new school's project in FOLDER (new or empty): settings, an example policy and
    leaflet, and folders for translations and the school's own templates."""
    from policypress.new import new_project

    folder = folder.resolve()
    written = new_project(folder)
    click.echo(f"Made a new policypress project in {folder} ({_count(len(written), 'file')}).")
    click.echo(
        "Next: cd into it, fill in policypress.toml, edit content/, then run "
        "'policypress check', 'policypress serve' to preview and 'policypress build' to publish."
    )


@cli.command()
@root_option
@output_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="PDF worker processes (default: one per core).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (untranslated parts, placeholders ...) as errors.",
)
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Build the web pages only.")
@click.option(
    "--lang",
    "langs",
    multiple=True,
    help="Build only this language besides English (repeatable).",
)
@click.option(
    "--large-print-size",
    type=click.FloatRange(LARGE_PRINT_MIN, LARGE_PRINT_MAX),
    default=None,
    help=f"Body size of the large-print PDF in points ({LARGE_PRINT_MIN} to {LARGE_PRINT_MAX}; "
    f"default from policypress.toml, else {LARGE_PRINT_DEFAULT:g}).",
)
@reports_errors
def build(
    root: Path,
    output: Path | None,
    jobs: int | None,
    strict: bool,
    no_pdf: bool,
    langs: tuple[str, ...],
    large_print_size: float | None,
) -> None:
    """Build the website, PDFs and leaflets into the output folder."""
    root = root.resolve()
    check_languages(root, langs)
    # Light modules only until the stamp has been checked: a build with nothing to do must not
    # pay for importing Jinja2, Markdown, Babel and WeasyPrint.
    from policypress.engine import buildstamp
    from policypress.engine.lock import output_lock
    from policypress.engine.options import BuildOptions, PdfMode

    options = BuildOptions(
        output=(output or root / "output").resolve(),
        jobs=jobs,
        strict=strict,
        pdf_mode=PdfMode.NONE if no_pdf else PdfMode.ALL,
        large_print_size=large_print_size,
        languages=langs,
        on_wait=lambda message: click.echo(message, err=True),
        progress=PdfProgress(),
    )
    if click.get_current_context().find_root().params.get("debug"):
        buildstamp.forget(root, options)  # --debug shows a whole build, with its logging
    else:
        with output_lock(options.output, options.on_wait):
            last = buildstamp.last_build_if_unchanged(root, options)
        if last is not None:
            print_findings(last.warnings, root)
            click.echo(f"Nothing has changed since the last build: {options.output} is up to date.")
            _say_warnings(len(last.warnings))
            return
    from policypress.engine.build import build_site

    result = build_site(root, options)
    print_findings(result.warnings, root)
    pages, pdfs, leaflets = result.count("page"), result.count("pdf"), result.count("leaflet")
    brf = sum(1 for f in result.files.values() if f.kind == "braille" and f.path.endswith(".brf"))
    epubs = result.count("epub")
    made = ", ".join(
        _count(n, word) for n, word in ((pdfs, "PDF"), (leaflets, "leaflet"), (brf, "braille file"))
    )
    click.echo(
        f"Built {_count(pages, 'page')}, {made} and {_count(epubs, 'EPUB')} into {options.output} "
        f"in {result.seconds:.2f} s (PDFs: {result.rendered} rendered, {result.reused} reused "
        "from the cache)" + ("" if result.changed else " (nothing changed)") + "."
    )
    _say_warnings(len(result.warnings))


def _say_warnings(count: int) -> None:
    if count:
        click.echo(
            f"{count} warning{'s' if count != 1 else ''}: run 'policypress check' for details."
        )


@cli.command()
@root_option
@click.option(
    "--strict", is_flag=True, help="A policy past its review date is an error, not a warning."
)
@reports_errors
def check(root: Path, strict: bool) -> None:
    """Check the content for problems, without building. Exit 1 if there is an error."""
    from policypress.lint import run_checks

    root = root.resolve()
    findings = run_checks(root, strict=strict)
    print_findings(findings, root)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    notes = sum(1 for f in findings if f.severity == "note")
    click.echo(f"{errors} error(s), {warnings} warning(s), {notes} note(s).")
    if errors:
        sys.exit(1)


@cli.command()
@root_option
@click.option("--strict", is_flag=True, help="Exit with status 1 if any review is overdue.")
@reports_errors
def status(root: Path, strict: bool) -> None:
    """Each policy's owner, last and next review, days left, and the statutory policies not
    published. Today's date comes from the clock, or from POLICYPRESS_TODAY (YYYY-MM-DD)."""
    from policypress.content.reader import read_project
    from policypress.reviews.schedule import format_status, review_status, today

    status = review_status(read_project(root.resolve()), today())
    click.echo(format_status(status))
    if strict and status.overdue:
        sys.exit(1)


@cli.command()
@root_option
@output_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Only change this to share the preview on your network.",
)
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Do not rebuild the PDFs in the background.")
@reports_errors
def serve(root: Path, output: Path | None, port: int, host: str, no_pdf: bool) -> None:
    """Build, serve the site for preview, and rebuild and reload the browser on every save."""
    from policypress.serve import serve_forever

    root = root.resolve()
    serve_forever(
        root,
        (output or root / "output").resolve(),
        host,
        port,
        say=click.echo,
        warn=lambda text: click.echo(text, err=True),
        pdf=not no_pdf,
    )


@cli.command()
@root_option
@output_option
@reports_errors
def clean(root: Path, output: Path | None) -> None:
    """Delete the output folder (only if this project built it) and the build cache."""
    import shutil

    from policypress.engine.cache import CACHE_DIR, ObjectCache
    from policypress.engine.lock import output_lock
    from policypress.engine.writer import project_mark, remove_output

    root = root.resolve()
    target = (output or root / "output").resolve()
    if target.parent.is_dir():
        with output_lock(target, on_wait=lambda message: click.echo(message, err=True)):
            remove_output(target, project_mark(ObjectCache(root / CACHE_DIR), root))
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    click.echo(f"Removed {target} and the build cache.")


@cli.command()
@root_option
@click.argument("slug")
@click.option("--version", "version", required=True, help="The new version's number, e.g. 1.1.")
@click.option("--note", required=True, help="One line: what changed in this version.")
@click.option("--major", is_flag=True, help="A major change (default: minor).")
@click.option("--approved-by", default="", help='Who approved it, e.g. "Full Governing Body".')
@click.option(
    "--approved-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date it was approved, e.g. 2026-11-20.",
)
@reports_errors
def release(
    root: Path,
    slug: str,
    version: str,
    note: str,
    major: bool,
    approved_by: str,
    approved_on: dt.datetime | None,
) -> None:
    """Record the policy as it now is as a new version: keep a copy in archive/ (with its
    leaflet and translations) and set its version. Build afterwards to publish it."""
    from policypress.content.reader import read_project
    from policypress.versions.archive import release as release_version

    root = root.resolve()
    archived = release_version(
        read_project(root),
        slug,
        version,
        note,
        major=major,
        approved_by=approved_by,
        approved_on=approved_on.date() if approved_on else None,
    )
    folder = archived.folder.relative_to(root).as_posix()
    click.echo(f"Released {slug} version {version}: kept in {folder}/.")
    click.echo("Run 'policypress translations update' to translate the note, then build.")


@cli.group()
def translations() -> None:
    """Extract, update and report on translation catalogs (gettext PO files)."""


@translations.command("extract")
@root_option
@reports_errors
def translations_extract(root: Path) -> None:
    """Write translations/*.pot templates from the content and templates."""
    from policypress.i18n.workflow import extract_all

    written = extract_all(root.resolve())
    for path, count in written:
        click.echo(f"{path}: {count} entries")


@translations.command("update")
@root_option
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@reports_errors
def translations_update(root: Path, langs: tuple[str, ...]) -> None:
    """Merge the templates into each language's PO files (changed English becomes fuzzy)."""
    from policypress.i18n.workflow import update_all

    for line in update_all(root.resolve(), langs):
        click.echo(line)


@translations.command("init")
@root_option
@click.argument("lang")
@reports_errors
def translations_init(root: Path, lang: str) -> None:
    """Start a new language: create translations/LANG/ from the templates."""
    from policypress.i18n.workflow import init_language

    for line in init_language(root.resolve(), lang):
        click.echo(line)


@translations.command("status")
@root_option
@reports_errors
def translations_status(root: Path) -> None:
    """How complete and how checked each language is."""
    from policypress.i18n.workflow import status_table

    click.echo(status_table(root.resolve()))


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="policypress")
