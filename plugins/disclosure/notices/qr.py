"""The QR code on a board notice: the committee page's published address."""

from __future__ import annotations

import segno

# Error correction M (15% of the code may be dirty or torn, as on a board
# outdoors) and the standard quiet zone of four modules; black on white.
_CODE = {"error": "m", "micro": False, "boost_error": False}
_DRAWING = {"scale": 1, "border": 4, "dark": "#000", "light": "#fff"}


def qr_data_uri(url: str) -> str:
    """An SVG data: URI of a QR code for `url`."""
    return segno.make(url, **_CODE).svg_data_uri(**_DRAWING)


def qr_made_from(url: str) -> str:
    """What `qr_data_uri(url)` is made from, to stand for the code where a
    notice's cache key is computed: drawing the code (about 12 ms) cost more
    than the rest of a notice whose PDF is already in the cache."""
    return f"qr:{segno.__version__}:{sorted(_CODE.items())}:{sorted(_DRAWING.items())}:{url}"
