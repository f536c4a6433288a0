"""Loading: format allow-list, every bad-input code, limits before decoding, pixel modes.

Case numbers (U01...) refer to group (a) of the reliability catalogue.
"""

from __future__ import annotations

import gc
import io
import math
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pytest
from fpdf import FPDF
from PIL import Image

from masthead.ocr import imaging, load
from masthead.ocr.errors import ImageTooLargeError, OcrError
from masthead.ocr.options import WORK_PIXELS, Limits
from tests.ocr import bombs
from tests.ocr.drawing import encode, image_pdf, text_image, text_pdf

LIMITS = Limits()
REFERENCE = text_image(["Masthead reads this", "Second line 12.50"], size=(900, 260))


def code_of(call: Callable[..., object], *args: object, **kw: object) -> str:
    with pytest.raises(OcrError) as info:
        result = call(*args, **kw)
        if isinstance(result, Iterator):
            list(result)
    return info.value.code


def grey(image: Image.Image | None) -> np.ndarray:
    assert image is not None and image.mode in ("L", "RGB")
    return np.asarray(image.convert("L"), dtype=np.int16)


def close_to_reference(image: Image.Image | None, reference: Image.Image = REFERENCE) -> float:
    """Mean absolute grey-level difference to the reference drawing."""
    return float(np.abs(grey(image) - grey(reference)).mean())


def bounded[T](fn: Callable[[], T], *, seconds: float, megabytes: int) -> T:
    process = psutil.Process()
    before = process.memory_info().rss
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    grown = (process.memory_info().rss - before) / 1_000_000
    assert elapsed <= seconds, f"took {elapsed:.2f}s"
    assert grown <= megabytes, f"RSS grew {grown:.0f} MB"
    return result


# --- allow-list --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "params"),
    [
        ("PNG", "png", {}),
        ("JPEG", "jpeg", {}),
        ("WEBP", "webp", {}),
        ("GIF", "gif", {}),
        ("BMP", "bmp", {}),
        ("TIFF", "tiff", {}),
        ("TIFF", "tiff", {"compression": "tiff_lzw"}),
    ],
)
def test_sniff_and_open_each_image_format(fmt: str, name: str, params: dict[str, object]) -> None:
    data = encode(REFERENCE, fmt, **params)
    assert load.sniff(data) == name
    page = load.open_page(data, 1, LIMITS)
    assert (page.width, page.height) == REFERENCE.size
    assert close_to_reference(page.image) < 12


def test_heic_is_read_through_pillow_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    data = encode(REFERENCE, "HEIF", quality=90)
    assert load.sniff(data) == "heif"
    assert close_to_reference(load.open_page(data, 1, LIMITS).image) < 12


def test_pdf_is_sniffed_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(text_pdf([["Hello"]]))
    assert load.sniff(path.read_bytes()) == "pdf"
    png_named_pdf = tmp_path / "x.pdf"  # U05: the name is never trusted
    png_named_pdf.write_bytes(encode(REFERENCE))
    assert load.open_page(png_named_pdf, 1, LIMITS).image is not None


def test_u01_empty_file(tmp_path: Path) -> None:
    assert code_of(load.sniff, b"") == "empty_file"
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    assert code_of(load.count_pages, empty, LIMITS) == "empty_file"
    assert code_of(load.check_upload_size, 0, LIMITS) == "empty_file"


@pytest.mark.parametrize(
    "data", [b"hello, this is text named .png\n", bytes(range(256)) * 4, b"\x89PN"]
)
def test_u02_random_bytes_and_text(data: bytes) -> None:
    assert code_of(load.open_page, data, 1, LIMITS) == "unsupported_type"


def test_u03_png_truncated_at_half() -> None:
    data = encode(REFERENCE)
    assert code_of(load.open_page, data[: len(data) // 2], 1, LIMITS) == "corrupt_image"


def test_u04_jpeg_cut_mid_scan() -> None:
    data = encode(REFERENCE, "JPEG", quality=90)
    assert code_of(load.open_page, data[: int(len(data) * 0.6)], 1, LIMITS) == "corrupt_image"
    assert code_of(load.open_page, data[:-2], 1, LIMITS) == "corrupt_image"  # no EOI


def test_u08_huge_dimensions_rejected_from_header_fast_and_small() -> None:
    data = bombs.png_header(50_000, 50_000)
    assert len(data) < 100_000
    code = bounded(lambda: code_of(load.open_page, data, 1, LIMITS), seconds=1, megabytes=100)
    assert code == "image_too_large"
    limits = Limits(max_pixels=10_000)
    assert code_of(load.open_page, encode(REFERENCE), 1, limits) == "image_too_large"


@pytest.mark.parametrize(("width", "height"), [(1, 200_000_000), (10, 0), (0, 10)])
def test_u09_degenerate_dimensions(width: int, height: int) -> None:
    data = bombs.png_header(width, height)
    assert (
        bounded(lambda: code_of(load.open_page, data, 1, LIMITS), seconds=1, megabytes=100)
        == "image_too_large"
    )


def test_u10_huge_text_chunk_is_bounded() -> None:
    data = bombs.png_with_ztxt(200)
    assert len(data) < 1_000_000

    def attempt() -> str:
        try:
            load.open_page(data, 1, LIMITS)
        except OcrError as exc:
            return exc.code
        return "ok"

    assert bounded(attempt, seconds=3, megabytes=100) in {"ok", "corrupt_image"}


def test_file_too_large_checked_before_reading(tmp_path: Path) -> None:
    limits = Limits(max_bytes=1000)
    assert code_of(load.check_upload_size, 1001, limits) == "file_too_large"
    path = tmp_path / "big.png"
    path.write_bytes(encode(REFERENCE))
    assert code_of(load.count_pages, path, limits) == "file_too_large"


def test_u13_pdf_with_10000_pages_rejected_from_count() -> None:
    data = bombs.blank_pages_pdf(10_000)
    code = bounded(lambda: code_of(load.count_pages, data, LIMITS), seconds=2, megabytes=100)
    assert code == "too_many_pages"
    assert code_of(load.iter_pages, data, LIMITS) == "too_many_pages"


def test_u14_big_pdf_page_is_rendered_within_the_pixel_cap() -> None:
    data = bombs.pages_pdf([(800, 1000), (612.3, 791.7), (1, 20_000), (0.4, 0.4)])
    limits = Limits(max_pixels=1_000_000)
    pages = bounded(lambda: list(load.iter_pages(data, limits)), seconds=5, megabytes=100)
    for page in pages:
        assert page.image is not None and page.image.size == (page.width, page.height)
        assert 1 <= page.width * page.height <= 1_000_000
    assert [72 <= page.dpi < 300 for page in pages] == [True, True, False, False]
    assert [page.dpi for page in pages[2:]] == [300, 300]  # the pages that fit as they are


@pytest.mark.parametrize(
    ("box", "limits", "expected"),
    [
        ((1_000_000, 1_000_000), LIMITS, "Page 1 would be 1000000 x 1000000 pixels even at 72 dpi"),
        ((14_400, 14_400), LIMITS, "Page 1 would be 14400 x 14400 pixels even at 72 dpi"),
        ((1_000, 1_400), Limits(max_pixels=1_000_000), "1000 x 1400 pixels even at 72 dpi"),
    ],
    ids=["million-pt", "pdf-maximum", "just-below-72-dpi"],
)
def test_u14_page_that_fits_only_below_72_dpi_is_refused_before_rendering(
    box: tuple[int, int], limits: Limits, expected: str
) -> None:
    data = bombs.pages_pdf([box])
    assert len(data) < 600
    for error in _refusals(data, limits):
        assert expected in error.message and error.code == "image_too_large"


def test_u14_every_page_box_is_checked_when_pages_are_counted() -> None:
    """The upload's checks: the page count first, then every page box, none rendered."""
    data = bombs.pages_pdf([(612, 792), (612, 792), (1_000_000, 1_000_000)], text=b"Hi")
    assert code_of(load.count_pages, data, LIMITS) == "image_too_large"
    with pytest.raises(ImageTooLargeError, match=r"^Page 3 would be"):
        load.count_pages(data, LIMITS)
    assert load.open_page(data, 1, LIMITS).words  # the other pages are still readable
    many = bombs.pages_pdf([(1_000_000, 1_000_000)] * 3)
    assert code_of(load.count_pages, many, Limits(max_pages=2)) == "too_many_pages"


def test_u14_a_lower_dpi_asked_for_is_the_floor() -> None:
    data = bombs.pages_pdf([(1_000, 1_000)])
    limits = Limits(max_pixels=500_000)
    assert load.open_page(data, 1, limits, dpi=50).dpi == 50  # 695 x 695: fits as asked
    assert code_of(load.open_page, data, 1, Limits(max_pixels=400_000), dpi=50) == (
        "image_too_large"
    )


def test_a_page_far_over_the_work_size_is_drawn_at_a_whole_fraction_of_its_dpi() -> None:
    """An A2 page at 300 dpi (35 MP) is drawn at 150 dpi; an A4 page (8.7 MP) and the
    words of a text layer, which draw nothing, keep the resolution asked for."""
    a2, a4 = (1190.55, 1683.78), (595.28, 841.89)
    drawn = list(load.iter_pages(bombs.pages_pdf([a2, a4]), LIMITS))
    assert [page.dpi for page in drawn] == [150, 300]
    for page, box in zip(drawn, (a2, a4), strict=True):
        assert page.image is not None and page.image.size == (page.width, page.height)
        assert page.width == math.ceil(box[0] * page.dpi / 72)
    assert WORK_PIXELS <= drawn[0].width * drawn[0].height < 4 * WORK_PIXELS
    words = load.open_page(bombs.pages_pdf([a2], text=b"Hi"), 1, LIMITS)
    assert words.image is None and words.words and words.dpi == 300
    assert load.open_page(bombs.pages_pdf([a2]), 1, LIMITS, dpi=100).dpi == 100  # 3.9 MP


def _refusals(data: bytes, limits: Limits, page_no: int = 1) -> list[ImageTooLargeError]:
    """The error from each way of reading ``data``: counting, iterating, opening a page.

    Each must come fast and without the pixels: RSS may not grow by 30 MB (the 193 MP
    render this replaced took 2 GB).
    """
    readers: list[Callable[[], object]] = [
        lambda: load.count_pages(data, limits),
        lambda: list(load.iter_pages(data, limits)),
        lambda: load.open_page(data, page_no, limits),
    ]
    found = []
    for read in readers:
        with pytest.raises(ImageTooLargeError) as info:
            bounded(read, seconds=2, megabytes=30)
        found.append(info.value)
    return found


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF", "HEIF"])
def test_first_page_over_the_cap_is_refused_when_counted(fmt: str) -> None:
    """Every format is measured from its header by the upload's checks, before decoding."""
    if fmt == "HEIF":
        imaging.register_heif()
    data = encode(REFERENCE, fmt)
    limits = Limits(max_pixels=REFERENCE.width * REFERENCE.height - 1)
    with pytest.raises(ImageTooLargeError) as info:
        load.count_pages(data, limits)
    assert (info.value.width, info.value.height) == REFERENCE.size
    assert load.count_pages(data, Limits(max_pixels=REFERENCE.width * REFERENCE.height)) == 1


def test_huge_jpeg_is_refused_from_its_frame_header() -> None:
    data = bombs.with_jpeg_size(encode(REFERENCE, "JPEG"), 7_000, 7_000)
    assert len(data) < 20_000
    with pytest.raises(ImageTooLargeError, match="7000 x 7000 pixels"):
        bounded(lambda: load.count_pages(data, LIMITS), seconds=1, megabytes=30)


def test_tiff_page_over_the_cap_is_refused_from_its_header() -> None:
    data = bombs.tiff_sizes([(8, 8), (10_000, 10_000), (8, 8)])
    for error in _refusals(data, LIMITS, page_no=3):
        assert error.message.startswith("Page 2 is 10000 x 10000 pixels")
    assert code_of(load.count_pages, data, Limits(max_pages=2)) == "too_many_pages"


@pytest.mark.parametrize(
    ("frame", "offset", "size"),
    [
        ((20_000, 20_000), (0, 0), (20_000, 20_000)),  # over Pillow's own bomb limit
        ((100, 100), (60_000, 60_000), (60_100, 60_100)),  # small, placed far off the screen
        ((8_000, 8_000), (0, 0), (8_000, 8_000)),
    ],
)
def test_gif_frame_larger_than_its_screen_is_reported_with_the_frame_size(
    frame: tuple[int, int], offset: tuple[int, int], size: tuple[int, int]
) -> None:
    data = bombs.gif_frame((10, 10), frame, offset)
    for error in _refusals(data, LIMITS):
        assert (error.width, error.height) == size
        assert f"The image is {size[0]} x {size[1]} pixels" in error.message


def test_u15_encrypted_pdf() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="user")
    assert code_of(load.count_pages, bytes(pdf.output()), LIMITS) == "pdf_encrypted"


def test_u15_owner_password_only_pdf_is_read() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=20)
    pdf.text(20, 30, "Readable anyway")
    pdf.set_encryption(owner_password="owner")
    page = load.open_page(bytes(pdf.output()), 1, LIMITS)
    assert page.words is not None and [w.text for w in page.words] == ["Readable", "anyway"]


@pytest.mark.parametrize(
    "data",
    [bombs.cyclic_pages_pdf(), b"%PDF-1.7\n" + bytes(range(256)) * 8, text_pdf([["x"]])[:300]],
    ids=["cyclic-page-tree", "garbage-body", "truncated"],
)
def test_u16_broken_pdfs_fail_cleanly_and_fast(data: bytes) -> None:
    assert (
        bounded(lambda: code_of(load.iter_pages, data, LIMITS), seconds=3, megabytes=100)
        == "corrupt_pdf"
    )


def test_u16_flate_bomb_in_content_stream_is_bounded() -> None:
    data = bombs.flate_bomb_pdf(100)
    assert len(data) < 1_000_000
    pages = bounded(
        lambda: list(load.iter_pages(data, Limits(), dpi=72)), seconds=10, megabytes=300
    )
    assert len(pages) == 1


def test_u17_animated_gif_reads_first_frame_only() -> None:
    frames = [Image.new("L", (8, 8), i % 256) for i in range(1, 10_000)]
    buffer = io.BytesIO()
    REFERENCE.convert("L").save(buffer, "GIF", save_all=True, append_images=frames)
    data = buffer.getvalue()
    assert load.count_pages(data, LIMITS) == 1
    pages = bounded(lambda: list(load.iter_pages(data, LIMITS)), seconds=5, megabytes=100)
    assert len(pages) == 1 and close_to_reference(pages[0].image) < 12


def test_u18_tiff_with_10000_pages_hits_the_page_cap() -> None:
    data = bombs.tiff_pages(10_000)
    assert load.count_pages(bombs.tiff_pages(3), LIMITS) == 3
    assert (
        bounded(lambda: code_of(load.count_pages, data, LIMITS), seconds=5, megabytes=100)
        == "too_many_pages"
    )
    assert code_of(load.iter_pages, data, LIMITS) == "too_many_pages"


def test_multipage_tiff_yields_every_page() -> None:
    buffer = io.BytesIO()
    second = text_image(["Page two"], size=(600, 200))
    REFERENCE.save(buffer, "TIFF", save_all=True, append_images=[second])
    pages = list(load.iter_pages(buffer.getvalue(), LIMITS))
    assert [p.number for p in pages] == [1, 2]
    assert close_to_reference(pages[1].image, second) < 5
    assert load.open_page(buffer.getvalue(), 2, LIMITS).height == 200


def _other_formats() -> list[tuple[str, bytes]]:
    found = [
        ("FITS", b"SIMPLE  =                    T" + b" " * 50),
        ("PSD", b"8BPS\x00\x01" + b"\x00" * 40),
        ("EPS", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"),
        ("WMF", b"\xd7\xcd\xc6\x9a" + b"\x00" * 40),
        (
            "SVG",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x()</script></svg>',
        ),
    ]
    small = REFERENCE.resize((64, 64))
    for fmt in ("ICO", "JPEG2000", "SPIDER", "PCX", "TGA", "PPM"):
        image = small.convert("F") if fmt == "SPIDER" else small
        found.append((fmt, encode(image, fmt)))
    return found


@pytest.mark.parametrize(("name", "data"), _other_formats(), ids=[n for n, _ in _other_formats()])
def test_u19_formats_outside_the_allow_list(name: str, data: bytes) -> None:
    assert code_of(load.open_page, data, 1, LIMITS) == "unsupported_type"


# --- pixel modes (U20-U24) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("orientation", "turn"),
    [
        (3, Image.Transpose.ROTATE_180),
        (6, Image.Transpose.ROTATE_90),
        (8, Image.Transpose.ROTATE_270),
    ],
)
def test_u20_exif_orientation_is_applied(orientation: int, turn: Image.Transpose) -> None:
    stored = REFERENCE.transpose(turn)
    exif = Image.Exif()
    exif[0x0112] = orientation
    page = load.open_page(encode(stored, "JPEG", quality=95, exif=exif.tobytes()), 1, LIMITS)
    assert page.image is not None and page.image.size == REFERENCE.size
    assert close_to_reference(page.image) < 6


def test_huge_jpeg_is_decoded_at_a_reduced_scale_with_its_dpi() -> None:
    photo = REFERENCE.resize((REFERENCE.width * 8, REFERENCE.height * 16))
    assert photo.width * photo.height > 4 * WORK_PIXELS
    page = load.open_page(encode(photo, "JPEG", quality=90, dpi=(600, 600)), 1, LIMITS)
    assert page.image is not None and page.image.size == (page.width, page.height)
    assert WORK_PIXELS <= page.width * page.height < photo.width * photo.height / 3
    assert page.dpi == round(600 * page.width / photo.width)
    assert close_to_reference(page.image.resize(REFERENCE.size)) < 6


def _large(mode: str) -> Image.Image:
    """The reference drawing at 25 megapixels (a whole reduction factor of 2 over
    ``WORK_PIXELS``), in ``mode``: a palette ("P") and 16-bit grey are modes
    ``Image.reduce`` refuses, shrunk once normalised."""
    photo = REFERENCE.convert("L").resize((REFERENCE.width * 6, REFERENCE.height * 18))
    if mode == "P":
        palette = Image.frombytes("P", photo.size, photo.tobytes())
        palette.putpalette([v for grey in range(256) for v in (grey, grey, grey)])
        return palette
    if mode == "I;16":
        deep = (np.asarray(photo, dtype=np.uint16) * 257).astype("<u2")
        return Image.frombytes(mode, photo.size, deep.tobytes())
    return photo.convert(mode)


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("PNG", "RGB"), ("PNG", "P"), ("PNG", "I;16"), ("WEBP", "RGB"), ("TIFF", "L")],
)
def test_huge_page_of_any_format_is_shrunk_as_it_is_decoded(fmt: str, mode: str) -> None:
    photo = _large(mode)
    assert photo.width * photo.height >= 4 * WORK_PIXELS
    params = {"lossless": True} if fmt == "WEBP" else {}
    page = load.open_page(encode(photo, fmt, dpi=(600, 600), **params), 1, LIMITS)
    assert page.image is not None and page.image.size == (page.width, page.height)
    assert page.image.mode in ("L", "RGB")
    assert (page.width, page.height) == (photo.width // 2, photo.height // 2)
    assert page.dpi == 300 or fmt == "WEBP"  # WebP carries no resolution
    assert close_to_reference(page.image.resize(REFERENCE.size)) < 6


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_a_one_page_file_is_let_go_before_its_page_is_read(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the pipeline reads a page (the generator suspended at its ``yield``), the
    decoded file is gone: its pixels, and a WebP decoder's canvases, which a closed
    Pillow image keeps as long as the object lives."""
    opened: list[weakref.ref[Image.Image]] = []
    real_open = load._open

    def remembering(*args: Any) -> Image.Image:
        image = real_open(*args)
        opened.append(weakref.ref(image))
        return image

    monkeypatch.setattr(load, "_open", remembering)
    pages = load.iter_pages(encode(REFERENCE, fmt), LIMITS)
    page = next(pages)
    gc.collect()
    assert page.image is not None and len(opened) == 1
    assert opened[0]() is None
    assert list(pages) == []


def test_u21_cmyk_jpeg_matches_rgb() -> None:
    page = load.open_page(encode(REFERENCE.convert("CMYK"), "JPEG", quality=95), 1, LIMITS)
    assert page.image is not None and page.image.mode == "RGB"
    assert close_to_reference(page.image) < 6


@pytest.mark.parametrize(("mode", "fmt"), [("I;16", "PNG"), ("I;16B", "TIFF"), ("I;16", "TIFF")])
def test_u22_sixteen_bit_images_are_not_clipped(mode: str, fmt: str) -> None:
    deep = (np.asarray(REFERENCE.convert("L"), dtype=np.uint16) * 257).astype(
        ">u2" if mode.endswith("B") else "<u2"
    )
    image = Image.frombytes(mode, REFERENCE.size, deep.tobytes())
    page = load.open_page(encode(image, fmt), 1, LIMITS)
    assert page.image is not None and page.image.mode == "L"
    assert close_to_reference(page.image) < 3


def _alpha_variants() -> dict[str, Image.Image]:
    mask = Image.eval(REFERENCE.convert("L"), lambda v: 255 - v)  # ink = opaque
    black_on_clear = Image.new("RGBA", REFERENCE.size, (0, 0, 0, 0))
    black_on_clear.putalpha(mask)
    white_in_alpha = Image.new("RGBA", REFERENCE.size, (255, 255, 255, 0))
    white_in_alpha.putalpha(mask)
    la = Image.new("LA", REFERENCE.size, (0, 0))
    la.putalpha(mask)
    palette = REFERENCE.convert("L").convert("P")
    palette.info["transparency"] = palette.getpixel((0, 0))
    return {
        "black-text-transparent-bg": black_on_clear,
        "text-only-in-alpha": white_in_alpha,
        "LA": la,
        "palette-transparency": palette,
    }


@pytest.mark.parametrize("name", list(_alpha_variants()))
def test_u23_u24_transparency_is_flattened_readably(name: str) -> None:
    image = _alpha_variants()[name]
    page = load.open_page(encode(image, "PNG"), 1, LIMITS)
    assert page.image is not None and page.image.mode in ("L", "RGB")
    assert close_to_reference(page.image) < 6


@pytest.mark.parametrize(
    ("mode", "fmt"), [("1", "PNG"), ("1", "TIFF"), ("P", "GIF"), ("RGBA", "WEBP"), ("L", "BMP")]
)
def test_u24_other_modes(mode: str, fmt: str) -> None:
    source = REFERENCE.convert(mode)
    page = load.open_page(
        encode(source, fmt, **({"lossless": True} if fmt == "WEBP" else {})), 1, LIMITS
    )
    assert close_to_reference(page.image) < 12


# --- PDFs: text layer or render --------------------------------------------------------------


def test_pdf_text_layer_gives_words_with_pixel_boxes() -> None:
    data = text_pdf([["Invoice 2024-03-01", "Total: $12.50"], ["Second page"]])
    pages = list(load.iter_pages(data, LIMITS, dpi=144))
    assert [p.image for p in pages] == [None, None]
    first = pages[0].words
    assert first is not None and [w.text for w in first] == [
        "Invoice",
        "2024-03-01",
        "Total:",
        "$12.50",
    ]
    invoice = first[0].bbox
    # drawn at x=72pt, baseline y=100pt on an A4 page, rendered at 144 dpi (2 px per pt)
    assert abs(invoice.x0 - 144) <= 4 and 165 <= invoice.y0 < 200 < invoice.y1 <= 212
    assert (pages[0].width, pages[0].height) == (round(595.28 * 2), round(841.89 * 2))


def test_pdf_without_text_is_rendered() -> None:
    data = image_pdf([REFERENCE], dpi=150)
    page = load.open_page(data, 1, LIMITS, dpi=150)
    assert page.words is None and page.image is not None
    assert abs(page.width - REFERENCE.width) <= 1
    assert close_to_reference(page.image.resize(REFERENCE.size)) < 12


def test_pdf_text_layer_can_be_skipped() -> None:
    page = load.open_page(text_pdf([["Hello"]]), 1, LIMITS, dpi=72, use_text_layer=False)
    assert page.words is None and page.image is not None
    assert abs(page.image.width - 595) <= 1 and abs(page.image.height - 842) <= 1


def test_page_numbers_out_of_range() -> None:
    with pytest.raises(IndexError):
        load.open_page(text_pdf([["a"]]), 2, LIMITS)
    with pytest.raises(IndexError):
        load.open_page(encode(REFERENCE), 2, LIMITS)
