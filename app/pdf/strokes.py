"""Drawn signatures as data: strokes captured by a signature pad, checked and normalized.

Format ``likvard-strokes/1``::

    {"format": "likvard-strokes/1", "width": 400, "height": 150,
     "strokes": [[[x, y], [x, y], ...], ...]}

Coordinates are in the pad's own units, origin top left, y downwards; a point may carry a third
value, the pen pressure (0..1). The PDF summary scales the drawing into its signature box.
"""

from __future__ import annotations

import math
from typing import Any

from app.errors import LikvardError
from app.i18n import _

FORMAT_ID = "likvard-strokes/1"
MAX_STROKES = 2000
MAX_POINTS = 50_000
MAX_SIZE = 10_000


class DrawingError(LikvardError):
    """A drawn signature is not in the expected format."""


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DrawingError(_("A drawn signature holds a point that is not a number."))
    return float(value)


def normalize_drawing(data: Any) -> dict[str, Any] | None:
    """Check a drawing and return its compact stored form; ``None`` or no strokes gives ``None``.

    Points are clamped to the pad and rounded to 0.1 unit. Raises DrawingError (translated).
    """
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("format", FORMAT_ID) != FORMAT_ID:
        raise DrawingError(_("A drawn signature must be in the format {format}.").format(format=FORMAT_ID))
    width, height = _number(data.get("width")), _number(data.get("height"))
    if not (0 < width <= MAX_SIZE and 0 < height <= MAX_SIZE):
        raise DrawingError(_("A drawn signature needs a width and a height between 1 and {max}.").format(max=MAX_SIZE))
    strokes = data.get("strokes")
    if not isinstance(strokes, list):
        raise DrawingError(_("A drawn signature needs a list of strokes."))
    if len(strokes) > MAX_STROKES:
        raise DrawingError(_("A drawn signature holds at most {max} strokes.").format(max=MAX_STROKES))
    out: list[list[list[float]]] = []
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, list):
            raise DrawingError(_("A stroke must be a list of points."))
        points: list[list[float]] = []
        for point in stroke:
            if not isinstance(point, (list, tuple)) or len(point) not in (2, 3):
                raise DrawingError(_("A point must be [x, y] or [x, y, pressure]."))
            x = round(min(max(_number(point[0]), 0.0), width), 1)
            y = round(min(max(_number(point[1]), 0.0), height), 1)
            p = [x, y]
            if len(point) == 3:
                p.append(round(min(max(_number(point[2]), 0.0), 1.0), 2))
            points.append(p)
        total += len(points)
        if total > MAX_POINTS:
            raise DrawingError(_("A drawn signature holds at most {max} points.").format(max=MAX_POINTS))
        if points:
            out.append(points)
    if not out:
        return None
    return {"format": FORMAT_ID, "width": width, "height": height, "strokes": out}


def drawing_bounds(drawing: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) over every point: the ink's bounding box."""
    xs = [p[0] for s in drawing["strokes"] for p in s]
    ys = [p[1] for s in drawing["strokes"] for p in s]
    return min(xs), min(ys), max(xs), max(ys)
