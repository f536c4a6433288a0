"""Bytes or a path -> page images (or text-layer words), with every limit checked early.

Order of checks, each before the step it protects: file size (``stat`` before reading),
format by magic bytes against an allow-list (the name and the declared type are never
trusted), page count (without rendering), every page's pixels from its header or PDF page
box (``imaging.check_pixels``, before decoding or rendering), then decoding. PDF pages
with an embedded text layer yield words instead of pixels.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import struct
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from masthead.ocr import imaging
from masthead.ocr.errors import (
    CorruptImageError,
    EmptyFileError,
    FileTooLargeError,
    ImageTooLargeError,
    TooManyPagesError,
    UnsupportedFormatError,
)
from masthead.ocr.imaging import PageImage
from masthead.ocr.options import WORK_PIXELS, Limits

Source = bytes | Path

__all__ = [
    "FORMATS",
    "PageImage",
    "Source",
    "check_upload_size",
    "count_pages",
    "iter_pages",
    "open_page",
    "read",
    "sniff",
]

FORMATS: tuple[str, ...] = ("png", "jpeg", "webp", "gif", "bmp", "tiff", "heif", "pdf")
"""Accepted formats, decided by content (``sniff``)."""

_PIL_FORMATS = {
    "png": ("PNG",),
    "jpeg": ("JPEG",),  # Pillow turns multi-picture JPEGs into MPO itself
    "webp": ("WEBP",),
    "gif": ("GIF",),
    "bmp": ("BMP",),
    "tiff": ("TIFF",),
    "heif": ("HEIF",),
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1"}
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}
_EXIF_ORIENTATION = 0x0112
_GIF_BLOCK = re.compile(rb"[!,;]")
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, UserWarning)


def check_upload_size(size: int, limits: Limits) -> None:
    """Reject an upload by its size alone (call before reading the body)."""
    if size <= 0:
        raise EmptyFileError
    if size > limits.max_bytes:
        raise FileTooLargeError(size, limits.max_bytes)


def sniff(data: bytes) -> str:
    """The format name (one of ``FORMATS``) from the first bytes of ``data``."""
    if not data:
        raise EmptyFileError
    head = data[:32]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise UnsupportedFormatError(_describe(head))


def read(source: Source, limits: Limits) -> bytes:
    """The bytes of ``source``, refusing oversize files before reading them."""
    if isinstance(source, Path):
        check_upload_size(source.stat().st_size, limits)
        with source.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    else:
        data = bytes(source)
    check_upload_size(len(data), limits)
    return data


def count_pages(source: Source, limits: Limits, *, dpi: int = 300) -> int:
    """Number of pages, without rendering or decoding; the checks an upload gets at once.

    Raises ``TooManyPagesError`` above the page limit, then ``ImageTooLargeError`` for
    the first page that cannot fit ``max_pixels`` (image and frame headers; a PDF page's
    box at the lowest resolution it may be rendered at from ``dpi``).
    """
    data = read(source, limits)
    kind = sniff(data)
    if kind == "pdf":
        from masthead.ocr import pdf_pages  # pdfium loads with the first PDF

        return pdf_pages.count(data, limits, dpi=dpi)
    with _opened(data, kind, limits) as image:
        return _frames(image, limits) if kind == "tiff" else 1


def open_page(
    source: Source,
    page_no: int,
    limits: Limits,
    *,
    dpi: int = 300,
    use_text_layer: bool = True,
) -> PageImage:
    """Page ``page_no`` (1-based) of ``source``, for page-by-page workers."""
    data = read(source, limits)
    kind = sniff(data)
    if kind == "pdf":
        from masthead.ocr import pdf_pages

        return pdf_pages.open_page(data, page_no, limits, dpi=dpi, use_text_layer=use_text_layer)
    with _opened(data, kind, limits) as image:
        frames = _frames(image, limits) if kind == "tiff" else 1
        if not 1 <= page_no <= frames:
            raise IndexError(f"page {page_no} out of range 1-{frames}")
        image.seek(page_no - 1)
        return _frame_page(image, page_no, limits)


def iter_pages(
    source: Source, limits: Limits, *, dpi: int = 300, use_text_layer: bool = True
) -> Iterator[PageImage]:
    """Every page in order; the page count is checked before the first page is decoded."""
    data = read(source, limits)
    kind = sniff(data)
    if kind == "pdf":
        from masthead.ocr import pdf_pages

        yield from pdf_pages.iter_pages(data, limits, dpi=dpi, use_text_layer=use_text_layer)
        return
    with _opened(data, kind, limits) as image:
        frames = _frames(image, limits) if kind == "tiff" else 1
        if frames == 1:
            only = _frame_page(image, 1, limits)
        else:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                yield _frame_page(frame, number, limits)
                if number >= frames:
                    break
            return
    # A one-page file is closed and dropped before its page is read: its decoded pixels,
    # and a WebP decoder's canvases, which live as long as the image object does.
    del image
    yield only


@contextlib.contextmanager
def _opened(data: bytes, kind: str, limits: Limits) -> Iterator[Image.Image]:
    """``_open``'s image, closed on leaving: decoded pixels freed there.

    Pillow's own ``with`` closes only the file and keeps the decoded pixels while the name
    lives; in ``iter_pages``, a generator suspended while its page is read, that held a
    35-megapixel PNG's 100 MB for the whole read.
    """
    image = _open(data, kind, limits)
    try:
        yield image
    finally:
        image.close()


def _open(data: bytes, kind: str, limits: Limits) -> Image.Image:
    """Open lazily (header only) with Pillow restricted to the sniffed format.

    The first page's size is checked against ``max_pixels`` here, from our own header
    reading where the size is at a fixed place and then from Pillow's, before any decoding.
    """
    width, height = _declared_size(data, kind)
    if width >= 0 and height >= 0:
        imaging.check_pixels(width, height, limits.max_pixels)
    if kind == "heif":
        imaging.register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(_PIL_FORMATS[kind]))
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(width, height, limits.max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise CorruptImageError(f"not a readable {kind.upper()} file") from exc
    except _DECODE_ERRORS as exc:
        raise CorruptImageError(type(exc).__name__) from exc
    try:
        imaging.check_pixels(*image.size, limits.max_pixels)
    except ImageTooLargeError:
        image.close()
        raise
    return image


def _frames(image: Image.Image, limits: Limits) -> int:
    """Frames in a multi-frame file, each frame's header size checked, none decoded.

    Pillow's ``n_frames`` walks every frame; a 10,000-page TIFF would take seconds before
    it could be refused, so stop as soon as the count is over the limit. The page count
    is reported before an oversized frame, as for PDFs.
    """
    count = 1
    oversized: ImageTooLargeError | None = None
    try:
        while count <= limits.max_pages:
            image.seek(count)
            count += 1
            try:
                imaging.check_pixels(*image.size, limits.max_pixels, page=count)
            except ImageTooLargeError as exc:
                oversized = oversized or exc
    except EOFError:
        pass
    except _DECODE_ERRORS as exc:
        raise CorruptImageError(_short(exc)) from exc
    finally:
        image.seek(0)
    if count > limits.max_pages:
        raise TooManyPagesError(count, limits.max_pages, exact=False)
    if oversized is not None:
        raise oversized
    return count


def _frame_page(image: Image.Image, number: int, limits: Limits) -> PageImage:
    """Check the frame's header size, then decode and normalise it."""
    width, height = image.size
    imaging.check_pixels(width, height, limits.max_pixels, page=number if number > 1 else 0)
    scale = _draft(image)
    try:
        with warnings.catch_warnings():
            # A decoder warning (e.g. a truncated TIFF strip) means missing pixels: corrupt.
            warnings.simplefilter("error", UserWarning)
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # odd EXIF is not worth refusing a photo
            turned = number == 1 and image.getexif().get(_EXIF_ORIENTATION, 1) != 1
            upright = ImageOps.exif_transpose(image) if turned else image
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(width, height, limits.max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise CorruptImageError(_short(exc)) from exc
    factor = imaging.work_reduction(*upright.size)  # before the copies, which are then small
    early = factor > 1 and upright.mode in _REDUCIBLE
    if early:
        upright = upright.reduce(factor)
    normal = imaging.normalise(upright)  # always a copy: the caller may close ``image``
    if factor > 1 and not early:  # a mode ``reduce`` refuses, reduced once normalised
        normal = normal.reduce(factor)
    dpi = max(36, round(imaging.dpi_of(image) * scale / factor))
    return PageImage(number, normal.width, normal.height, dpi, normal)


def _draft(image: Image.Image) -> float:
    """Let a JPEG decoder scale a huge photo down by 1/2, 1/4 or 1/8 while decoding.

    The pipeline works on at most ``WORK_PIXELS``; decoding a 35-megapixel photo whole
    only to shrink it would hold ~100 MB per copy. Returns the linear scale applied (the
    page's pixels and dpi are those of the decoded image, so boxes stay consistent).
    """
    width, height = image.size
    if image.format != "JPEG" or width * height <= WORK_PIXELS:
        return 1.0
    factor = math.sqrt(WORK_PIXELS / (width * height))
    image.draft(image.mode, (math.ceil(width * factor), math.ceil(height * factor)))
    return image.size[0] / width


_REDUCIBLE = frozenset({"L", "LA", "La", "PA", "RGB", "RGBA", "RGBa", "CMYK", "I", "F"})
"""Modes ``Image.reduce`` takes; the others ("1", "P", "I;16"...) are reduced once
normalised to ``L`` or ``RGB``."""


def _declared_size(data: bytes, kind: str) -> tuple[int, int]:
    """Width and height from the header where it is at a fixed place; -1 if unknown.

    Pillow refuses zero-sized images as "unidentified"; reading the header first lets us
    report them as what they are (an impossible size), like any oversized image.
    """
    if kind == "png" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if kind == "gif" and len(data) >= 13:
        return _gif_canvas(data)
    if kind == "bmp" and len(data) >= 26 and int.from_bytes(data[14:18], "little") >= 40:
        width = int.from_bytes(data[18:22], "little", signed=True)
        height = int.from_bytes(data[22:26], "little", signed=True)
        return abs(width), abs(height)
    return -1, -1


def _gif_canvas(data: bytes) -> tuple[int, int]:
    """The size Pillow decodes a GIF's first frame into: its logical screen, grown to hold
    the first frame (whose descriptor may place it anywhere, at any size).

    Walks the blocks the way Pillow does (extensions skipped by their sub-blocks, stray
    bytes between blocks skipped), so the size in a refusal is the one that was refused.
    """
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while at < len(data) and data[at] != 0x3B:  # ";" ends the file
        if data[at] == 0x21:  # "!" extension: label, then sub-blocks up to an empty one
            at += 2
            while at < len(data) and data[at]:
                at += data[at] + 1
            at += 1
        elif data[at] == 0x2C:  # "," image descriptor: left, top, width, height
            if at + 9 > len(data):
                break
            left, top, w, h = struct.unpack_from("<4H", data, at + 1)
            return max(width, left + w), max(height, top + h)
        else:  # a stray byte: Pillow skips it, one by one; jump to the next block instead
            found = _GIF_BLOCK.search(data, at)
            at = found.start() if found else len(data)
    return width, height


def _short(exc: BaseException) -> str:
    text = str(exc).split("\n", 1)[0]
    return text[:80] if text else type(exc).__name__


def _describe(head: bytes) -> str:
    known = {
        b"SIMPLE  =": "FITS",
        b"8BPS": "PSD",
        b"%!PS": "PostScript/EPS",
        b"\xc5\xd0\xd3\xc6": "EPS",
        b"\x00\x00\x01\x00": "ICO",
        b"\xd7\xcd\xc6\x9a": "WMF",
        b"\x00\x00\x00\x0cjP": "JPEG 2000",
        b"<svg": "SVG",
        b"<?xml": "XML/SVG",
        b"PK\x03\x04": "ZIP",
        b"BLP": "BLP",
    }
    for magic, name in known.items():
        if head.startswith(magic):
            return name
    return ""
