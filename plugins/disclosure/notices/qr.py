"""The QR code on a board notice: the committee page's published address."""

from __future__ import annotations

import segno


def qr_data_uri(url: str) -> str:
    """An SVG data: URI of a QR code for `url`.

    Error correction M (15% of the code may be dirty or torn, as on a board
    outdoors) and the standard quiet zone of four modules; black on white.
    """
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return code.svg_data_uri(scale=1, border=4, dark="#000", light="#fff")
