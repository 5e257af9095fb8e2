"""What policypress knows about a language: its own name, direction and the fonts it needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from policypress.errors import PolicyError

# Font stacks by script; every family here is vendored under templates/fonts/.
# The language the policies are written in; every other language is a translation of it.
SOURCE_LANGUAGE = "en"

LATIN_FONTS = ("Atkinson Hyperlegible Next",)
FONT_FILES = {
    "Atkinson Hyperlegible Next": (
        "assets/fonts/atkinson-hyperlegible-next/AtkinsonHyperlegibleNext"
    ),
    "Noto Naskh Arabic": "assets/fonts/noto-naskh-arabic/NotoNaskhArabic",
    "Noto Nastaliq Urdu": "assets/fonts/noto-nastaliq-urdu/NotoNastaliqUrdu",
}
# Fonts the PDFs use in place of the web's: IBM Plex Sans Arabic draws each Arabic letter form
# as one glyph of its own (Noto Naskh Arabic draws the dots as marks shared between letters),
# so the text extractors read from a glyph is right without /ActualText (engine/pdftext.py).
# The web pages keep Naskh: a browser has the text itself, and Plex's web font is larger.
PRINT_FONTS = {"Noto Naskh Arabic": "IBM Plex Sans Arabic"}
_SCRIPT_FONTS = {
    "ur": ("Noto Nastaliq Urdu", *LATIN_FONTS),
    "ar": ("Noto Naskh Arabic", *LATIN_FONTS),
    "fa": ("Noto Naskh Arabic", *LATIN_FONTS),
    "ps": ("Noto Naskh Arabic", *LATIN_FONTS),
}


@dataclass(frozen=True)
class Language:
    code: str
    autonym: str  # the language's name in itself: "Polski", "اردو"
    english_name: str
    direction: str  # "ltr" or "rtl"
    fonts: tuple[str, ...]

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def print_fonts(self) -> tuple[str, ...]:
        """The font stack of the PDFs (see PRINT_FONTS)."""
        return tuple(PRINT_FONTS.get(family, family) for family in self.fonts)

    @property
    def layout_cost(self) -> float:
        """How long its text takes to lay out, relative to Latin text of the same length:
        Nastaliq's stacked, cursive shaping is about twice as slow (measured on the shipped
        policy). Used only to start the longest PDFs first."""
        return 2.0 if self.fonts[0] == "Noto Nastaliq Urdu" else 1.0

    @property
    def arabic_script(self) -> bool:
        return self.fonts[0] in ("Noto Naskh Arabic", "Noto Nastaliq Urdu")


# A BCP 47 language tag as folders and URLs may carry it: "pl", "en-GB", "zh-Hant" (or en_GB).
_CODE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@lru_cache(maxsize=64)
def language(code: str) -> Language:
    """What policypress knows about the language ``code`` (a BCP 47 tag; a region or script, as
    in en-GB or zh-Hant, is kept in the code and used for dates and numbers)."""
    try:
        if not _CODE_RE.match(code):
            raise ValueError(code)
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise PolicyError(
            f"{code!r} is not a language policypress knows",
            hint='Use a language code such as "pl", "ur" or "ar", or one with a region or '
            'script such as "en-GB" or "zh-Hant".',
        ) from None
    name = locale.get_display_name(locale) or code
    autonym = name[0].upper() + name[1:] if locale.language not in ("ur", "ar") else name
    return Language(
        code=code,
        autonym=autonym,
        english_name=locale.get_display_name("en") or code,
        direction="rtl" if locale.text_direction == "rtl" else "ltr",
        fonts=_SCRIPT_FONTS.get(locale.language, LATIN_FONTS),
    )
