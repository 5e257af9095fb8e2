"""Language of parts in translations: runs of words in another script that a translator has not
marked with ``[words]{lang=en}``, so a screen reader would read them with the wrong voice."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policypress.content.lang_spans import SPAN_RE

_LATIN = "A-Za-z\u00c0-\u024f"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# What is not words to read: placeholders, link addresses, web and email addresses.
_NOT_WORDS = re.compile(
    r"%\([a-z_]+\)[a-zA-Z]|%%|\{[a-z_]+\}"
    r"|\]\([^)\s]*\)"
    r"|<[^>\s]*>"
    r"|(?:https?://|www\.)\S+"
    r"|[^\s@()\[\]]+@[^\s@()\[\]]+\.\w+"
)
# A run: words of one script, with the spaces, digits and punctuation between them.
_LATIN_RUN = re.compile(
    rf"[{_LATIN}][{_LATIN}'’\-]*(?:[\s(),.:;/&'’\-0-9]+[{_LATIN}0-9][{_LATIN}'’\-0-9]*)*\)?"
)
_ARABIC_RUN = re.compile(rf"[{_ARABIC}]+(?:[\s\u060c\u061b()]+[{_ARABIC}]+)*")


@dataclass(frozen=True)
class Run:
    start: int
    end: int
    text: str


def is_acronym(run: str) -> bool:
    """Words written in capitals only (PDF, WCAG 2.2, A4) are spelt out letter by letter in any
    language: no need to mark them."""
    return not re.search(r"[a-z\u00e0-\u024f]", run)


def unmarked_runs(text: str, *, arabic_script: bool) -> list[Run]:
    """Runs of the other script's words in a translation (Latin in an Arabic-script language,
    Arabic script in a Latin one) outside ``[...]{lang=..}`` marks, placeholders and addresses."""
    masked = SPAN_RE.sub(lambda m: "\x00" * len(m.group(0)), text)
    masked = _NOT_WORDS.sub(lambda m: "\x00" * len(m.group(0)), masked)
    pattern = _LATIN_RUN if arabic_script else _ARABIC_RUN
    runs = []
    for m in pattern.finditer(masked):
        words = m.group(0)
        if words.endswith(")") and words.count(")") > words.count("("):
            words = words[:-1]
        words = words.rstrip(" ,.:;/&-'’(")
        if not words or (arabic_script and is_acronym(words)):
            continue
        runs.append(Run(m.start(), m.start() + len(words), words))
    return runs


def mark_runs(text: str, lang: str, *, arabic_script: bool) -> str:
    """``text`` with each unmarked run marked as ``lang`` (for translators' tools and tests)."""
    for run in reversed(unmarked_runs(text, arabic_script=arabic_script)):
        text = f"{text[: run.start]}[{run.text}]{{lang={lang}}}{text[run.end :]}"
    return text
