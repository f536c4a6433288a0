"""The reading stage: orientation, recognition and fusion in the cheapest order.

Most pages are upright, so the page is read first as it is. Only when that reading
looks wrong (``orientation.suspect``: little confidence, or text running up/down the
page) is the orientation probe run, and the page read again turned upright. So an
upright page costs one reading; a turned page about two and a bit.

With engine "auto" the first reading uses the primary engine alone, and the fallback
re-reads doubtful lines only once the page is upright (``AutoEngine.refine``), so an
upside-down page never sends every line to Tesseract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from masthead.ocr import orientation
from masthead.ocr.document import Word
from masthead.ocr.engines.base import Engine
from masthead.ocr.fusion import AutoEngine

Recognise = Callable[[Engine, Image.Image, Sequence[str]], list[Word]]


def read_page(
    image: Image.Image,
    engine: Engine,
    languages: Sequence[str],
    *,
    detect_orientation: bool,
    recognise: Recognise,
) -> tuple[int, Image.Image, list[Word]]:
    """(clockwise angle applied, the upright image, its words)."""
    auto = engine if isinstance(engine, AutoEngine) else None
    if auto is not None and auto.routes_to_fallback(languages):
        reader: Engine = auto.fallback or auto.primary
    else:
        reader = auto.primary if auto is not None else engine
    words = recognise(reader, image, languages)
    angle = 0
    if detect_orientation and orientation.suspect(words):
        angle = orientation.detect(image, reader)
        if angle:
            image = orientation.rotate(image, angle)
            words = recognise(reader, image, languages)
    if auto is not None and reader is auto.primary:
        words = auto.refine(image, words, languages)
    return angle, image, words
