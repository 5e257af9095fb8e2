"""The Jinja2 environment: the school's templates first, then policypress's own; strict about
unknown variables; interface strings through gettext; dates and sizes for the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal

from policypress.errors import PolicyError

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
BABEL_LOCALES = {"en": "en_GB"}


def template_dirs(root: Path) -> list[Path]:
    dirs = [root / "templates"]
    if DEFAULT_TEMPLATES.is_dir() and DEFAULT_TEMPLATES.resolve() != dirs[0].resolve():
        dirs.append(DEFAULT_TEMPLATES)
    return [d for d in dirs if d.is_dir()]


def find_template_file(root: Path, name: str) -> Path:
    """The file a template, stylesheet or font comes from (the school's own copy wins)."""
    for folder in template_dirs(root):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise PolicyError(f"the template file {name!r} is missing", root / "templates")


def babel_locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, lang)


def format_day(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return format_date(value, "d MMMM y", locale=babel_locale(lang))


def format_size(size: int, lang: str) -> str:
    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / 1024 / 1024, 1), locale=babel_locale(lang))} MB"
    return f"{format_decimal(max(1, round(size / 1024)), locale=babel_locale(lang))} KB"


def make_environment(
    root: Path,
    lang: str,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(root)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["day"] = lambda value: format_day(value, lang)
    env.filters["filesize"] = lambda size: format_size(size, lang)
    env.globals["lang"] = lang
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template, turning template mistakes into errors with the template's line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise PolicyError(
            f"template syntax error: {exc.message}",
            Path(exc.filename) if exc.filename else Path("templates") / name,
            exc.lineno,
            hint="Check the {% %} and {{ }} tags near this line are closed and spelt right.",
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc)
        raise PolicyError(
            f"the template uses something that does not exist: {exc.message}",
            path or Path("templates") / name,
            line,
            hint="Check the spelling of the variable; the README lists what each template gets.",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise PolicyError(
            f"the template {exc.name!r} is missing",
            Path("templates") / name,
            hint="Restore it from policypress's templates folder.",
        ) from None


def _template_frame(exc: BaseException) -> tuple[Path | None, int | None]:
    """The template file and line the error happened on, from the traceback."""
    tb = exc.__traceback__
    found: tuple[Path | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
