"""RELIABILITY group (a): the bad inputs U01-U27, drawn in memory (nothing downloaded).

``CASES`` maps a case id to ``(filename, content_type, bytes, expected)`` where
``expected`` is an ``(http_status, code)`` pair, or ``None`` when the file must be read
successfully (the content decides, not the name: U05, U06, U20-U25).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from PIL import Image, PngImagePlugin

from tests.tools import images

Expected = tuple[int, str] | None


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_with_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (1-bit grey) with one tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    data = images.noisy_png(300, 200)
    return data[: len(data) // 2]


def truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    images.draw_page(600, 300).save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return data[: int(len(data) * 0.6)]  # no EOI, cut mid-scan


def huge_text_chunk_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * 4_000_000, zip=True)
    buffer = io.BytesIO()
    images.draw_page(400, 150).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def many_page_pdf(pages: int = 10_000) -> bytes:
    """A small PDF with ``pages`` blank pages sharing one content stream."""
    kids = " ".join(f"{4 + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    return _pdf(objects)


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode()
        + trailer_extra
        + f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def big_mediabox_pdf() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>",
        ]
    )


def cyclic_pages_pdf() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ]
    )


def self_referencing_trailer_pdf() -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 1 0 R >>"], trailer_extra=b"/Prev 9 ")


def nested_flate_pdf() -> bytes:
    payload = b"0 0 m " * 10
    for _ in range(30):
        payload = zlib.compress(payload)
    filters = " ".join(["/FlateDecode"] * 30)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            f"<< /Length {len(payload)} /Filter [{filters}] >>\nstream\n".encode()
            + payload
            + b"\nendstream",
        ]
    )


def encrypted_pdf() -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text="Secret")
    document.set_encryption(owner_password="owner", user_password="user")
    return bytes(document.output())


def animated_gif(frames: int = 10_000) -> bytes:
    first = images.draw_page(200, 80).convert("L")
    rest = [Image.new("L", (200, 80), 255 * (n % 2)) for n in range(frames - 1)]
    buffer = io.BytesIO()
    first.save(buffer, format="GIF", save_all=True, append_images=rest, duration=10)
    return buffer.getvalue()


def many_page_tiff(frames: int = 10_000) -> bytes:
    """A TIFF with ``frames`` 8x8 grey pages sharing one strip (Pillow's writer is too slow)."""
    entries = [(256, 3, 8), (257, 3, 8), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8),
               (277, 3, 1), (278, 3, 8), (279, 4, 64)]  # fmt: skip
    ifd_size = 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 72) + b"\xff" * 64)
    for index in range(frames):
        start = 72 + index * ifd_size
        following = start + ifd_size if index + 1 < frames else 0
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            out += struct.pack("<HHII", tag, kind, 1, value)
        out += struct.pack("<I", following)
    return bytes(out)


def exif_rotated_jpeg(orientation: int) -> bytes:
    image = images.draw_page(600, 240).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _variants() -> dict[str, Callable[[], bytes]]:
    page = images.draw_page(500, 200)
    alpha_only = Image.new("LA", page.size, (0, 0))
    alpha_only.putalpha(page.convert("L").point(lambda v: 255 - v))
    return {
        "U21-cmyk": lambda: _save(page.convert("CMYK"), "JPEG"),
        "U22-png16": lambda: _save(page.convert("I;16"), "PNG"),
        "U22-tiff16": lambda: _save(page.convert("I;16"), "TIFF"),
        "U23-rgba": lambda: _save(page.convert("RGBA"), "PNG"),
        "U23-alpha-text": lambda: _save(alpha_only, "PNG"),
        "U24-palette": lambda: _save(page.convert("P"), "PNG", transparency=0),
        "U24-1bit": lambda: _save(page.convert("1"), "PNG"),
        "U24-webp": lambda: _save(page, "WEBP"),
    }


OTHER_FORMATS = {
    "fits": b"SIMPLE  =                    T" + b" " * 2850,
    "spider": struct.pack(">f", 1.0) * 64,
    "eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
    "psd": b"8BPS\x00\x01" + b"\x00" * 64,
    "blp": b"BLP2" + b"\x00" * 64,
    "ico": b"\x00\x00\x01\x00\x01\x00\x10\x10" + b"\x00" * 64,
    "wmf": b"\xd7\xcd\xc6\x9a" + b"\x00" * 64,
    "jpeg2000": b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 64,
}


Case = tuple[str, str, Callable[[], bytes], Expected]


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


ASYNC_FAILURES = {"U16-cyclic-pages"}
"""PDFs that pass the cheap checks at upload (size, type, page count) and fail when a
worker opens the page: the upload is accepted (202) and the job ends ``failed`` with the
code, its file deleted (RELIABILITY U-0, "async failures")."""


def cases() -> dict[str, Case]:
    """Every case, with a builder so that only the case under test is drawn."""
    png = images.png
    found: dict[str, Case] = {
        "U01-empty": ("empty.png", "image/png", lambda: b"", (400, "empty_file")),
        "U02-random": (
            "random.png",
            "image/png",
            lambda: bytes(range(256)) * 8,
            (415, "unsupported_type"),
        ),
        "U02-text": (
            "notes.png",
            "image/png",
            lambda: b"just some text\n" * 20,
            (415, "unsupported_type"),
        ),
        "U03-truncated-png": ("half.png", "image/png", truncated_png, (422, "corrupt_image")),
        "U04-truncated-jpeg": ("cut.jpg", "image/jpeg", truncated_jpeg, (422, "corrupt_image")),
        "U05-png-named-pdf": ("x.pdf", "application/pdf", png, None),
        "U06-png-html-tail": (
            "poly.png",
            "image/png",
            lambda: png() + b"<html><script>alert(1)</script></html>",
            None,
        ),
        "U06-gif-js": (
            "poly.gif",
            "image/gif",
            lambda: b"GIF89a/*" + b"\x00" * 30 + b"*/=alert(1);",
            (413, "image_too_large"),
        ),
        "U07-svg-script": (
            "x.svg",
            "image/svg+xml",
            lambda: (
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
            ),
            (415, "unsupported_type"),
        ),
        "U07-svg-xlink": (
            "x.svg",
            "image/png",
            lambda: (
                b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://127.0.0.1/"/></svg>'
            ),
            (415, "unsupported_type"),
        ),
        "U08-50k-square": (
            "bomb.png",
            "image/png",
            lambda: png_with_header(50_000, 50_000),
            (413, "image_too_large"),
        ),
        "U09-long-strip": (
            "strip.png",
            "image/png",
            lambda: png_with_header(1, 200_000_000),
            (413, "image_too_large"),
        ),
        "U10-huge-ztxt": ("ztxt.png", "image/png", huge_text_chunk_png, (422, "corrupt_image")),
        "U13-10k-pages": ("pages.pdf", "application/pdf", many_page_pdf, (413, "too_many_pages")),
        "U15-encrypted": ("locked.pdf", "application/pdf", encrypted_pdf, (422, "pdf_encrypted")),
        "U16-cyclic-pages": (
            "cyclic.pdf",
            "application/pdf",
            cyclic_pages_pdf,
            (422, "corrupt_pdf"),
        ),
        "U16-self-trailer": ("trailer.pdf", "application/pdf", self_referencing_trailer_pdf, None),
        "U18-10k-tiff": ("pages.tiff", "image/tiff", many_page_tiff, (413, "too_many_pages")),
        "U20-exif-6": ("rotated.jpg", "image/jpeg", lambda: exif_rotated_jpeg(6), None),
        "U20-exif-3": ("rotated3.jpg", "image/jpeg", lambda: exif_rotated_jpeg(3), None),
        "U20-exif-8": ("rotated8.jpg", "image/jpeg", lambda: exif_rotated_jpeg(8), None),
        "U25-traversal-name": ("../../x.png", "image/png", png, None),
        "U25-nul-name": ("a.png\x00.php", "image/png", png, None),
        "U25-rtl-name": ("invoice\u202egnp.exe", "image/png", png, None),
        "U25-long-name": ("n" * 10_000 + ".png", "image/png", png, None),
    }
    for name, data in OTHER_FORMATS.items():
        found[f"U19-{name}"] = (
            f"x.{name}",
            "image/png",
            _constant(data),
            (415, "unsupported_type"),
        )
    for name, build in _variants().items():
        found[name] = (f"{name}.img", "image/png", build, None)
    return found
