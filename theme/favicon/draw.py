"""Draw the site icon: 日 in white on the header's blue, as favicon.svg and favicon.ico.

The glyph is drawn from rectangles, so no font is needed and both files show
the same shape. Run `python theme/favicon/draw.py` after changing it; the
build copies both files to the site's root.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BLUE, WHITE = (0x0B, 0x3D, 0x91), (0xFF, 0xFF, 0xFF)
# On a 32 × 32 grid: the rounded square, then 日 as a frame and a middle bar.
RADIUS = 6
STROKES = [
    (8, 5, 16, 3.5),  # top
    (8, 23.5, 16, 3.5),  # bottom
    (8, 5, 3.5, 22),  # left
    (20.5, 5, 3.5, 22),  # right
    (8, 14.25, 16, 3.5),  # middle
]


def svg() -> str:
    bars = "".join(f'<rect x="{x}" y="{y}" width="{w}" height="{h}"/>' for x, y, w, h in STROKES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="{RADIUS}" fill="#0b3d91"/>'
        f'<g fill="#fff">{bars}</g></svg>\n'
    )


def _inside_square(x: float, y: float) -> bool:
    cx = min(max(x, RADIUS), 32 - RADIUS)
    cy = min(max(y, RADIUS), 32 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS**2


def _pixel(px: int, py: int, size: int) -> tuple[int, int, int, int]:
    """RGBA of one pixel, from 4 × 4 samples."""
    n, scale = 4, 32 / size
    colour = [0.0, 0.0, 0.0]
    cover = 0
    for i in range(n):
        for j in range(n):
            x, y = (px + (i + 0.5) / n) * scale, (py + (j + 0.5) / n) * scale
            if not _inside_square(x, y):
                continue
            cover += 1
            white = any(sx <= x < sx + w and sy <= y < sy + h for sx, sy, w, h in STROKES)
            for k, value in enumerate(WHITE if white else BLUE):
                colour[k] += value
    if not cover:
        return 0, 0, 0, 0
    r, g, b = (round(c / cover) for c in colour)
    return r, g, b, round(255 * cover / n**2)


def png(size: int) -> bytes:
    rows = b"".join(
        b"\0" + b"".join(bytes(_pixel(x, y, size)) for x in range(size)) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes: tuple[int, ...] = (16, 32, 48)) -> bytes:
    """An ICO holding one PNG per size (read by every browser since 2007)."""
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return struct.pack("<HHH", 0, 1, len(images)) + entries + b"".join(images)


if __name__ == "__main__":
    here = Path(__file__).parent
    (here / "favicon.svg").write_text(svg(), encoding="utf-8")
    (here / "favicon.ico").write_bytes(ico())
