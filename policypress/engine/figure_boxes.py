"""PDF/UA: a figure's bounding box in PDF space.

WeasyPrint 70 writes each ``Figure`` structure element's layout ``/BBox`` in CSS pixels measured
down from the top of the page, where PDF wants points measured up from the bottom; a QR code in
the leaflet's top right corner came out at x 650-741 on a 595 pt page. This WeasyPrint
``finisher`` step converts every such box (1 px = 0.75 pt) before the PDF is written."""

from __future__ import annotations

from typing import Any

import pydyf

from policypress import compat

PX_TO_PT = 0.75


def fix_figure_boxes(pdf: pydyf.PDF) -> None:
    objects = pdf.objects

    def follow(value: Any) -> Any:
        return compat.resolve_reference(objects, value)

    for obj in objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/StructElem":
            continue
        attributes = obj.get("A")
        if not isinstance(attributes, pydyf.Dictionary) or "BBox" not in attributes:
            continue
        page = follow(obj.get("Pg"))
        if not isinstance(page, pydyf.Dictionary) or "MediaBox" not in page:
            continue
        height = float(page["MediaBox"][3])
        x1, y1, x2, y2 = (float(v) for v in attributes["BBox"])
        attributes["BBox"] = pydyf.Array(
            (
                round(x1 * PX_TO_PT, 3),
                round(height - y2 * PX_TO_PT, 3),
                round(x2 * PX_TO_PT, 3),
                round(height - y1 * PX_TO_PT, 3),
            )
        )
