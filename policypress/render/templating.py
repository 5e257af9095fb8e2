"""The Jinja2 environment: the school's templates first, then policypress's own; strict about
unknown variables; interface strings through gettext; dates and sizes for the reader's language."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from policypress.content.lang_spans import SPAN_RE, catalog_html
from policypress.errors import PolicyError
from policypress.i18n.catalog import markup_mismatch, markup_signature
from policypress.layout import template_dirs

BABEL_LOCALES = {"en": "en_GB"}
# Languages whose readers expect Arabic-Indic digits, with the Arabic decimal separator (٫) and
# thousands separator (٬): every number on an Arabic page is written so (one digit system per
# page); numbers inside English words marked as English, and addresses, keep theirs.
_ARABIC_DIGITS = {"ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}
_NUMBERING = {"ar": "arab"}


def native_digits(text: str, lang: str) -> str:
    table = _ARABIC_DIGITS.get(lang)
    return text.translate(table) if table else text


def babel_locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, lang.replace("-", "_"))


def format_day(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return native_digits(format_date(value, "d MMMM y", locale=babel_locale(lang)), lang)


def format_version(version: str | None, lang: str) -> str:
    """A policy's version number in the reader's digits ("١.٠" in Arabic, like its dates)."""
    if not version:
        return "–"
    if lang in _NUMBERING:
        version = re.sub(r"(?<=\d)\.(?=\d)", "\u066b", version)  # ١٫٠, as the sizes write it
    return native_digits(version, lang)


def format_size(size: int, lang: str) -> str:
    locale = babel_locale(lang)
    numbering = _NUMBERING.get(lang, "latn")
    if size >= 1024 * 1024:
        number = format_decimal(
            round(size / 1024 / 1024, 1), locale=locale, numbering_system=numbering
        )
        text = f"{number} MB"
    else:
        number = format_decimal(
            max(1, round(size / 1024)), locale=locale, numbering_system=numbering
        )
        text = f"{number} KB"
    return native_digits(text, lang)


_ENVIRONMENTS: dict[tuple[str, ...], jinja2.Environment] = {}


def shared_environment(root: Path) -> jinja2.Environment:
    """One Jinja2 environment per template folder set and the school's own templates in it, so
    each template is compiled once per process, whatever the language. Jinja2 reloads a template
    when its file changes, but would not see a school's copy added (or removed) beside a default
    it has loaded: a new set of the school's templates is a new environment."""
    folders = template_dirs(root)
    dirs = tuple(str(d) for d in folders)
    key = (*dirs, "\0", *_own_templates(folders))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(list(dirs)),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=True,
        )
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        env.filters["day"] = _day_filter
        env.filters["filesize"] = _size_filter
        env.filters["version"] = _version_filter
        env.filters["digits"] = _digits_filter
        env.filters["english"] = _english_filter
        _ENVIRONMENTS[key] = env
    return env


def _own_templates(folders: list[Path]) -> list[str]:
    """The files of every folder before the defaults (the school's), by name, fonts and
    pictures (``assets/``) aside."""
    names: list[str] = []
    for folder in folders[:-1] if len(folders) > 1 else ():
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if not name.startswith("assets/") and path.is_file():
                names.append(name)
    return names


@jinja2.pass_context
def _day_filter(context: jinja2.runtime.Context, value: dt.date | None) -> str:
    return format_day(value, context.get("lang_code", "en"))


@jinja2.pass_context
def _version_filter(context: jinja2.runtime.Context, version: str | None) -> str:
    return format_version(version, context.get("lang_code", "en"))


@jinja2.pass_context
def _digits_filter(context: jinja2.runtime.Context, text: str) -> str:
    return native_digits(text, context.get("lang_code", "en"))


@jinja2.pass_context
def _english_filter(context: jinja2.runtime.Context, text: str) -> Markup:
    """English words (the school's name) inside a page in another language: marked English, so
    a screen reader speaks them in an English voice (WCAG 3.1.2), and isolated left to right, so
    that "CE (VA)" keeps its brackets in a right-to-left sentence."""
    if context.get("lang_code", "en") == "en":
        return Markup(escape(text))
    return Markup('<span lang="en" dir="ltr">{}</span>').format(text)


@jinja2.pass_context
def _size_filter(context: jinja2.runtime.Context, size: int) -> str:
    return format_size(size, context.get("lang_code", "en"))


@dataclass(frozen=True)
class LanguageTemplates:
    """The shared environment, with one language's interface strings and formats."""

    env: jinja2.Environment
    lang: str
    gettext: Callable[..., str]
    ngettext: Callable[..., str]

    def context(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            **values,
            "gettext": self.gettext,
            "ngettext": self.ngettext,
            "lang_code": self.lang,
        }


def catalog_text(msgid: str, msgstr: str) -> Markup:
    """A catalog string as a template shows it: text, escaped in attributes and text alike. Markup
    gets through only where the English has the same markup (the rule the policy strings follow);
    otherwise the English is shown."""
    if not markup_signature(msgid)["tags"]:
        return catalog_html(msgstr)  # text, and [words]{lang=en} marks as spans
    if markup_mismatch(msgid, msgstr) is not None:
        return Markup(msgid)
    return Markup(SPAN_RE.sub(lambda m: str(catalog_html(m.group(0))), msgstr))


def _text_gettext(func: Callable[[str], str]) -> Callable[..., str]:
    """Jinja2's new-style gettext, except that a translation is text, not trusted markup."""

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, string: str, /, **variables: Any) -> str:
        rv: str = func(string)
        if context.eval_ctx.autoescape:
            rv = catalog_text(string, rv)
        return rv % variables

    return gettext


def _text_ngettext(func: Callable[[str, str, int], str]) -> Callable[..., str]:
    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        rv: str = func(singular, plural, num)
        if context.eval_ctx.autoescape:
            rv = catalog_text(singular if num == 1 else plural, rv)
        return rv % variables

    return ngettext


def make_environment(
    root: Path,
    lang: str,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> LanguageTemplates:
    return LanguageTemplates(
        shared_environment(root), lang, _text_gettext(gettext), _text_ngettext(ngettext)
    )


def cache_compiled_templates(root: Path, folder: Path) -> None:
    """Keep the compiled templates in ``folder``, so that a new process does not compile them
    again (a tenth of a second); Jinja2 compiles a template anew when its file changes."""
    env = shared_environment(root)
    current = env.bytecode_cache
    if isinstance(current, jinja2.FileSystemBytecodeCache) and current.directory == str(folder):
        return
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def compile_templates(root: Path, names: Iterable[str]) -> None:
    """Compile templates before they are needed (while the PDF workers render); a mistake in one
    is left for ``render_template`` to report, with its file and line."""
    env = shared_environment(root)
    for name in names:
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def render_template(templates: LanguageTemplates, name: str, context: dict[str, Any]) -> str:
    """Render one template, turning template mistakes into errors with the template's line."""
    try:
        return templates.env.get_template(name).render(templates.context(context))
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
