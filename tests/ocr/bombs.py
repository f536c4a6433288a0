"""Hand-built hostile files: headers that lie, page bombs, broken PDFs."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header(width: int, height: int, *, extra: bytes = b"") -> bytes:
    """A PNG that declares ``width`` x ``height`` but carries only two rows of pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (min(width, 10_000) + 1) * 2)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + extra
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def png_with_ztxt(megabytes: int) -> bytes:
    """A 10x10 PNG with a zTXt chunk that inflates to ``megabytes`` MB of text."""
    text = zlib.compress(b"A" * megabytes * 1_000_000, 9)
    return png_header(10, 10, extra=_chunk(b"zTXt", b"Comment\x00\x00" + text))


def pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF with a correct cross-reference table for ``objects`` (numbered from 1)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def blank_pages_pdf(pages: int, *, size: tuple[int, int] = (612, 792)) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % size
    return pdf(objects + [page] * pages)


def cyclic_pages_pdf() -> bytes:
    """A page tree whose only kid is itself."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def flate_bomb_pdf(megabytes: int) -> bytes:
    """One page whose content stream inflates to ``megabytes`` MB of spaces."""
    stream = zlib.compress(b" " * megabytes * 1_000_000, 9)
    content = (
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    )
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            content,
        ]
    )


def tiff_pages(pages: int) -> bytes:
    """A little-endian TIFF with ``pages`` chained 1x1 grey pages sharing one pixel.

    Built by hand because Pillow takes minutes to write 10,000 frames.
    """
    return tiff_sizes([(1, 1)] * pages)


def pages_pdf(sizes: Sequence[tuple[float, float]], *, text: bytes = b"") -> bytes:
    """One page per ``(width, height)`` box in points; ``text`` is drawn on each in Helvetica.

    ``pages_pdf([(1e6, 1e6)])`` is the 1,000,000 pt page that once rendered at 193 MP.
    """
    content = b"BT /F1 24 Tf 72 72 Td (%s) Tj ET" % text if text else b""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(len(sizes)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(sizes),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for width, height in sizes:
        box = b"[0 0 %s %s]" % (_number(width), _number(height))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + box
            + b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )  # fmt: skip
    return pdf(objects)


def gif_frame(
    screen: tuple[int, int], frame: tuple[int, int], offset: tuple[int, int] = (0, 0)
) -> bytes:
    """A GIF whose first frame has its own size and place, whatever its logical screen says.

    Pillow grows the canvas to hold the frame; only a 2-colour palette and one pixel of
    image data are stored, so a 60,000 x 60,000 canvas fits in under 40 bytes.
    """
    head = b"GIF89a" + struct.pack("<HHBBB", *screen, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    descriptor = b"," + struct.pack("<HHHHB", *offset, *frame, 0)
    return head + descriptor + b"\x02\x02\x4c\x01\x00;"


def with_jpeg_size(jpeg: bytes, width: int, height: int) -> bytes:
    """``jpeg`` with its frame header (SOF0) claiming ``width`` x ``height``."""
    at = jpeg.index(b"\xff\xc0") + 5  # marker, length (2), precision (1), then height, width
    return jpeg[:at] + struct.pack(">HH", height, width) + jpeg[at + 4 :]


def tiff_sizes(sizes: list[tuple[int, int]]) -> bytes:
    """A TIFF whose pages declare ``sizes`` and share one grey pixel (headers only)."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 9) + b"\xff")
    ifd_size = 2 + 12 * 9 + 4
    for index, (width, height) in enumerate(sizes):
        entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                   (273, 4, 8), (277, 3, 1), (278, 4, height), (279, 4, 1)]  # fmt: skip
        following = 9 + (index + 1) * ifd_size if index + 1 < len(sizes) else 0
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        out += struct.pack("<I", following)
    return bytes(out)


def _number(value: float) -> bytes:
    """A PDF number: no exponent (``1e+06`` is not one)."""
    return f"{value:.4f}".rstrip("0").rstrip(".").encode()
