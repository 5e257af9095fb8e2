"""No link or image address a browser would run reaches a page, however it is written: Markdown,
raw HTML, translations or the school's details filled in for {placeholders}."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policypress.content.rendering import RenderedBody, render_markdown

POLICY = Path("content/behaviour-policy.md")
ALLOWED = {"https", "mailto", "tel"}
# What a browser removes from the ends of an address, and from anywhere in it (WHATWG URL).
C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


class _Addresses(HTMLParser):
    """Every href and src of a page, decoded as a browser decodes attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href") and value is not None:
                self.found.append((tag, name, value))


def addresses(html: str) -> list[tuple[str, str, str]]:
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    return parser.found


def scheme_as_a_browser_reads_it(value: str) -> str:
    """The scheme a browser would see, stricter than a browser: every control character and
    whitespace removed from the whole address first."""
    squashed = "".join(ch for ch in value if ch not in C0_AND_SPACE and ch != "\x7f")
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", squashed)
    return match.group(1).lower() if match else ""


def assert_only_safe_addresses(html: str) -> None:
    for tag, name, value in addresses(html):
        scheme = scheme_as_a_browser_reads_it(value)
        assert not scheme or scheme in ALLOWED, (tag, name, value)
        if name == "src":
            assert not scheme, (tag, name, value)


def render(body: str, **options: object) -> RenderedBody:
    return render_markdown(body, body_line=7, path=POLICY, **options)  # type: ignore[arg-type]


REPRODUCTIONS = [
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "&#1;javascript:alert(1)",
    "java&#09;script:alert(1)",
    "java&#10;script:alert(1)",
    "java&Tab;script:alert(1)",
    "javascript&NewLine;:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)",
    "&#0000106avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("address", REPRODUCTIONS)
def test_a_markdown_link_to_a_script_is_removed_and_reported(address: str) -> None:
    out = render(f"Intro.\n\nRead [the rules]({address}) now.\n")
    assert_only_safe_addresses(out.html)
    assert "<a>the rules</a>" in out.html
    [finding] = [f for f in out.findings if "unsafe address" in f.message]
    assert finding.severity == "warning"
    assert finding.message.endswith("from a link")  # not "from a a"
    assert (finding.path, finding.line, finding.col) == (POLICY, 9, 18)  # at the address


@pytest.mark.parametrize("address", REPRODUCTIONS)
def test_a_raw_html_link_to_a_script_is_removed_and_reported(address: str) -> None:
    out = render(f'Intro.\n\n<p><a href="{address}">the rules</a></p>\n')
    assert_only_safe_addresses(out.html)
    [finding] = [f for f in out.findings if "removed unsafe HTML" in f.message]
    assert finding.line == 9


def test_a_placeholder_cannot_make_a_script_link() -> None:
    out = render(
        "Call us on {phone}.\n",
        variables={"phone": "[01234 567890](&#106;avascript:alert(1))"},
    )
    assert_only_safe_addresses(out.html)
    assert "01234 567890" in out.html
    [finding] = out.findings
    assert finding.message == (
        "removed an unsafe address (javascript:) from a link (it comes from {phone})"
    )
    assert finding.line == 7 and finding.hint.startswith("Correct phone in policypress.toml.")


def test_a_placeholder_with_raw_html_cannot_make_a_script_link() -> None:
    out = render(
        "Write to {email}.\n",
        variables={"email": '<a href="java&#09;script:alert(1)" onclick="x()">us</a>'},
    )
    assert_only_safe_addresses(out.html)
    assert "onclick" not in out.html


def test_a_translation_cannot_make_a_script_link() -> None:
    class Polish:
        def lookup(self, context: str, msgid: str) -> str | None:
            return "Przeczytaj [zasady](java&#10;script:alert(1))."

    out = render("Read [the rules](https://example.org/rules).\n", translator=Polish())
    assert_only_safe_addresses(out.html)
    assert any("unsafe address" in f.message for f in out.findings)


def test_a_plain_http_link_is_published_as_https_with_a_warning() -> None:
    out = render("See [the council](http://www.example.gov.uk/schools?a=1&b=2).\n")
    [(tag, _, href)] = addresses(out.html)
    assert (tag, href) == ("a", "https://www.example.gov.uk/schools?a=1&b=2")
    [finding] = out.findings
    assert finding.severity == "warning"
    assert finding.message == (
        "this link's address is not https://; it is published as "
        "https://www.example.gov.uk/schools?a=1&b=2"
    )
    assert finding.line == 7
    assert "https://" in finding.hint


def test_a_raw_html_http_link_is_published_as_https() -> None:
    out = render('<p><a href="http://example.org/a">a</a></p>\n')
    assert addresses(out.html) == [("a", "href", "https://example.org/a")]
    assert any("changed" in f.message for f in out.findings)


def test_every_kind_of_link_the_site_needs_still_works() -> None:
    body = (
        "## Rules\n\n"
        "See [rewards](#rewards), [the other policy](other-policy.md#scope), "
        "[the council](https://example.org/a?b=1#c), [email](mailto:office@example.org), "
        "[phone](tel:+441234567890), [a page](../formats/) and a note.[^1]\n\n"
        "## Rewards\n\nText.\n\n[^1]: The note.\n"
    )
    out = render(body, resolve_policy=lambda slug: (f"../{slug}/", None))
    hrefs = [value for tag, name, value in addresses(out.html) if tag == "a"]
    assert hrefs == [
        "#rewards",
        "../other-policy/#scope",
        "https://example.org/a?b=1#c",
        "mailto:office@example.org",
        "tel:+441234567890",
        "../formats/",
        "#fn:1",
        "#fnref:1",
    ]
    assert not out.findings
    assert 'class="footnotes"' in out.html and 'id="fn:1"' in out.html
    assert 'role="region"' not in out.html  # no table: nothing added, nothing lost


def test_tables_and_notes_keep_their_accessible_markup() -> None:
    out = render("| A | B |\n|:--|--:|\n| 1 | 2 |\n\nText.[^n]\n\n[^n]: Note.\n")
    assert '<div aria-label="Table" class="table-wrap" role="region" tabindex="0">' in out.html
    assert '<th scope="col" style="text-align:left">A</th>' in out.html
    assert '<section aria-labelledby="notes" class="footnotes">' in out.html


def test_a_hostile_back_link_label_is_text() -> None:
    out = render(
        "Text.[^n]\n\n[^n]: Note.\n",
        labels={"back_to_text": 'Wróć<img src=x onerror="alert(1)">'},
    )
    assert addresses(out.html) == [("a", "href", "#fn:n"), ("a", "href", "#fnref:n")]
    assert "Wróć&lt;img" in out.html  # shown as text


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("social-media-policy.md", "this image is not an image file: social-media-policy.md"),
        ("../../outside/secret.png", "this image is outside the content folder"),
        ("/etc/secret.png", "this image is outside the content folder"),
        ("file:///etc/secret.png", "this image is outside the content folder"),
    ],
)
def test_an_image_outside_the_content_folder_is_an_error(image: str, message: str) -> None:
    out = render(f"Intro.\n\n![The secret]({image})\n")
    assert "<img" not in out.html
    assert "The secret" in out.html  # the reader still gets the description
    [finding] = out.findings
    assert (finding.severity, finding.line) == ("error", 9)
    assert message in finding.message
    assert "content/images" in finding.hint or ".md" in finding.hint


def test_an_image_from_the_web_is_removed_with_a_warning() -> None:
    out = render("![A logo](http://127.0.0.1:9/x.png)\n")
    assert "<img" not in out.html
    [finding] = out.findings
    assert finding.severity == "warning" and "from the web" in finding.message


@pytest.mark.parametrize(
    "image", ["../../outside/secret.png", "/etc/secret.png", "http://127.0.0.1:9/x.png", "x.md"]
)
def test_a_raw_html_image_outside_the_content_folder_is_removed(image: str) -> None:
    out = render(f'Intro.\n\n<p><img src="{image}" alt="x"></p>\n')
    assert "src=" not in out.html
    [finding] = out.findings
    assert finding.line == 9 and image in finding.message


# -- property tests ---------------------------------------------------------------------------

NAMED = {":": ["&colon;"], "\t": ["&Tab;"], "\n": ["&NewLine;"]}
INSIDE = ["", "&#9;", "&#x9;", "&#10;", "&#13;", "&Tab;", "&NewLine;", "&#x0A", "&#0009;"]
LEADING = ["", " ", "&#1;", "&#x1F;", "&#32;", "&#0;", "&#x00000001;", "&#8;", "&#127;"]


@st.composite
def obfuscated_scheme(draw: st.DrawFn) -> str:
    """``javascript:``, ``data:`` or ``vbscript:`` in any HTML character-reference form."""
    scheme = draw(st.sampled_from(["javascript", "data", "vbscript"]))
    out = [draw(st.sampled_from(LEADING))]
    for index, ch in enumerate(scheme + ":"):
        ch = draw(st.sampled_from([ch.lower(), ch.upper()]))
        code = ord(ch)
        zeros = "0" * draw(st.integers(0, 5))
        semi = draw(st.sampled_from([";", ""]))
        forms = [
            ch,
            f"&#{zeros}{code}{semi}",
            f"&#x{zeros}{code:x}{semi}",
            f"&#X{zeros}{code:X}{semi}",
            *NAMED.get(ch, []),
        ]
        out.append(draw(st.sampled_from(forms)))
        if 0 < index < len(scheme):
            out.append(draw(st.sampled_from(INSIDE)))
    payload = draw(st.sampled_from(["alert(1)", "text/html,<script>x</script>", "msgbox(1)"]))
    return "".join(out) + payload


@st.composite
def hostile_document(draw: st.DrawFn) -> str:
    address = draw(obfuscated_scheme())
    form = draw(st.sampled_from(["link", "angle", "reference", "raw", "raw-single", "image"]))
    if form == "link":
        return f"Read [the rules]({address}) now.\n"
    if form == "angle":
        return f"Read [the rules](<{address}>) now.\n"
    if form == "reference":
        return f"Read [the rules][r] now.\n\n[r]: {address}\n"
    if form == "raw":
        return f'<p><a href="{address}">the rules</a></p>\n'
    if form == "raw-single":
        return f"Read <a href='{address}'>the rules</a> now.\n"
    return f"![The rules]({address})\n"


@settings(max_examples=300, deadline=None)
@given(document=hostile_document())
def test_no_obfuscated_script_address_survives(document: str) -> None:
    out = render(document)
    assert_only_safe_addresses(out.html)


@settings(max_examples=150, deadline=None)
@given(address=obfuscated_scheme())
def test_no_obfuscated_script_address_survives_a_placeholder(address: str) -> None:
    out = render(
        "Call {phone} or write to {email}.\n",
        variables={"phone": f"[us]({address})", "email": f'<a href="{address}">us</a>'},
    )
    assert_only_safe_addresses(out.html)
