"""Group (a) variants the other loading tests leave out: U03's global flag, U06 PDF+ZIP, U07
with a listener that would see any fetch, U16 XFA bomb, U18 MPO and DCX."""

from __future__ import annotations

import io
import socket
import zipfile
import zlib

import pytest
from PIL import Image, ImageFile

from masthead.ocr import load
from masthead.ocr.options import Limits
from tests.ocr import bombs
from tests.ocr.drawing import encode, text_image, text_pdf
from tests.ocr.test_load import REFERENCE, bounded, close_to_reference, code_of

LIMITS = Limits()


def test_u03_truncated_images_stay_refused_and_pillow_stays_strict() -> None:
    """Pillow's LOAD_TRUNCATED_IMAGES would turn a cut file into a partly grey page; nothing
    in the pipeline may switch it on, before or after reading a truncated file."""
    from masthead.ocr import pipeline  # noqa: F401  everything a worker imports

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = encode(REFERENCE)
    assert code_of(load.open_page, data[: len(data) // 2], 1, LIMITS) == "corrupt_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_u06_pdf_with_a_zip_appended_is_read_as_the_pdf_it_starts_as() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("index.html", "<script>alert(1)</script>")
    data = text_pdf([["Polyglot page"]]) + archive.getvalue()
    assert load.sniff(data) == "pdf" and load.count_pages(data, LIMITS) == 1
    page = load.open_page(data, 1, LIMITS)
    assert page.words is not None and [w.text for w in page.words] == ["Polyglot", "page"]


@pytest.mark.parametrize("attribute", ["xlink:href", "href"])
def test_u07_svg_pointing_at_a_local_server_is_refused_without_a_connection(
    attribute: str,
) -> None:
    """A listener on loopback stands in for an internal service: refusing the SVG must not
    have fetched anything from it (no network needs blocking for this to hold)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/secret.png"
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            f' onload="fetch(\'{url}\')"><image {attribute}="{url}" width="10" height="10"/></svg>'
        ).encode()
        for call in (load.count_pages, load.iter_pages):
            assert code_of(call, svg, LIMITS) == "unsupported_type"
        assert code_of(load.open_page, svg, 1, LIMITS) == "unsupported_type"
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):  # nobody connected
            listener.accept()


def test_u16_xfa_bomb_is_ignored_quickly_and_small() -> None:
    """An XFA form stream that inflates to 300 MB: pages are read without expanding it."""
    packer = zlib.compressobj(9)
    chunk = b" " * 1_000_000
    xfa = packer.compress(b"<xdp:xdp>") + b"".join(packer.compress(chunk) for _ in range(300))
    xfa += packer.compress(b"</xdp:xdp>") + packer.flush()
    data = bombs.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /NeedsRendering true"
            b" /AcroForm << /Fields [] /XFA 4 0 R >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            f"<< /Length {len(xfa)} /Filter /FlateDecode >>\nstream\n".encode()
            + xfa
            + b"\nendstream",
        ]
    )
    assert len(data) < 400_000
    pages = bounded(lambda: list(load.iter_pages(data, LIMITS)), seconds=5, megabytes=100)
    assert len(pages) == 1 and pages[0].image is not None


def test_u18_mpo_with_thousands_of_frames_is_one_page() -> None:
    """A multi-picture JPEG is read like any JPEG: its first picture only. (MPO's index
    holds at most ~4,000 pictures, so 4,000 stands in for the catalogue's 10,000.)"""
    frames = [Image.new("L", (8, 8), n % 256) for n in range(3_999)]
    buffer = io.BytesIO()
    REFERENCE.save(buffer, "MPO", save_all=True, append_images=frames)
    data = buffer.getvalue()
    assert load.sniff(data) == "jpeg"
    # bounded, not timed: 0.15 s alone, about 1 s beside OCR on a loaded two-core runner
    assert bounded(lambda: load.count_pages(data, LIMITS), seconds=5, megabytes=100) == 1
    pages = bounded(lambda: list(load.iter_pages(data, LIMITS)), seconds=5, megabytes=100)
    assert len(pages) == 1 and close_to_reference(pages[0].image) < 12


def test_u18_dcx_is_outside_the_allow_list() -> None:
    """DCX (a container of up to 1,023 PCX pages) is refused by content, before Pillow."""
    pcx = encode(text_image(["DCX page"], size=(200, 80)), "PCX")
    dcx = b"\xb1\x68\xde\x3a" + (16).to_bytes(4, "little") + b"\x00" * 4 + pcx
    assert code_of(load.count_pages, dcx, LIMITS) == "unsupported_type"
    assert code_of(load.open_page, dcx, 1, LIMITS) == "unsupported_type"
