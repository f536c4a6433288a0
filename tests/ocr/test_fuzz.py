"""Mutated real files: loading either succeeds or raises an OcrError, never anything else.

Seeds are drawn here in every accepted format; each is mutated by a seeded RNG (bit flips,
byte runs, truncation, duplicated spans), 8 mutants per format. This is the library half of
the "≥ 60 malformed files, 0 crashes" goal.
"""

from __future__ import annotations

import random

import pytest

from masthead.ocr import load
from masthead.ocr.errors import OcrError
from masthead.ocr.options import Limits
from tests.ocr.drawing import encode, image_pdf, text_image, text_pdf

LIMITS = Limits(max_pixels=4_000_000, max_pages=5)


def _seeds() -> dict[str, bytes]:
    image = text_image(["Fuzz 12.50"], size=(320, 120), font_size=30)
    seeds = {
        fmt.lower(): encode(image, fmt) for fmt in ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")
    }
    seeds["pdf-text"] = text_pdf([["Fuzz 12.50"]])
    seeds["pdf-image"] = image_pdf([image])
    return seeds


SEEDS = _seeds()


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    keep = 16 if rng.random() < 0.7 else 0  # usually keep the magic so parsers get deep
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(4)
        at = rng.randrange(keep, max(keep + 1, len(buf)))
        if kind == 0:
            buf[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            buf[at : at + 8] = bytes(rng.randrange(256) for _ in range(8))
        elif kind == 2:
            del buf[at:]
        else:
            span = buf[at : at + rng.randint(1, 64)]
            buf[at:at] = span * rng.randint(1, 50)
    return bytes(buf)


CASES = [(name, f"{name}:{n}") for name in SEEDS for n in range(8)]
CASES.append(("jpeg", "xjpeg:66"))  # once made Pillow look up an unregistered "MPO" opener
CASES.append(("tiff", "ytiff:384"))  # a truncated strip: a decoder warning, now corrupt_image


@pytest.mark.parametrize(("name", "seed"), CASES, ids=[seed for _, seed in CASES])
def test_mutants_load_or_fail_with_an_ocr_error(name: str, seed: str) -> None:
    data = mutate(SEEDS[name], random.Random(seed))
    try:
        pages = list(load.iter_pages(data, LIMITS, dpi=72))
    except OcrError as exc:
        assert exc.code in {
            "corrupt_image",
            "corrupt_pdf",
            "unsupported_type",
            "image_too_large",
            "too_many_pages",
            "empty_file",
            "pdf_encrypted",
        }
        return
    assert all(p.image is not None or p.words is not None for p in pages)
