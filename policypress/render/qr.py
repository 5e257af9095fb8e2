"""The QR code on the parent leaflet, pointing at the policy's web page."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def qr_svg(url: str) -> bytes:
    """The QR code to ``url`` as SVG (the same code on the leaflet page and in its PDF)."""
    import io

    import segno

    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=4,
        border=2,
        dark="#000000",
        light="#ffffff",
        xmldecl=False,
        svgns=True,
        title=None,
        desc=None,
    )
    return out.getvalue()
