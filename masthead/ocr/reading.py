"""The reading stage: orientation, recognition and fusion in the cheapest order.

Most pages are upright, so the page is read first as it is. Only when that reading
looks wrong (``orientation.suspect``: little confidence, or text running up/down the
page) is the orientation probe run, and the page read again turned upright. So an
upright page costs one reading; a turned page about two and a bit.

With engine "auto" the script is judged only once the page is upright
(``AutoEngine.reroute``), so an upside-down page is never mistaken for a foreign script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from masthead.ocr import orientation
from masthead.ocr.document import Word
from masthead.ocr.engines.base import Engine

Recognise = Callable[[Engine, Image.Image, Sequence[str]], list[Word]]


def read_page(
    image: Image.Image,
    engine: Engine,
    languages: Sequence[str],
    *,
    detect_orientation: bool,
    recognise: Recognise,
) -> tuple[int, Image.Image, list[Word]]:
    """(clockwise angle applied, the upright image, its words).

    An engine may offer ``reader(languages)`` (the engine and packs the page goes to first)
    and ``reroute(image, words, languages)`` (where the upright page is read again, or
    None): engine "auto" routes by script that way; other engines read as they are.
    """
    choose = getattr(engine, "reader", None)
    reader, wanted = choose(languages) if choose is not None else (engine, tuple(languages))
    words = recognise(reader, image, wanted)
    reroute = getattr(engine, "reroute", None)
    if reroute is not None and orientation.suspect(words):
        # A script the reader does not know reads as noise every way up, which the
        # orientation probe would take for a turned page: try the script route first.
        route = reroute(image, words, languages)
        if route is not None:
            routed = recognise(route[0], image, route[1])
            if _confidence(routed) >= ROUTED_TRUST:
                return 0, image, routed
    angle = 0
    if detect_orientation and orientation.suspect(words):
        angle = orientation.detect(image, reader)
        if angle:
            turned = orientation.rotate(image, angle)
            turned_words = recognise(reader, turned, wanted)
            # Keep the turn only if it reads well or clearly better: text in a script the
            # reader does not know reads as noise every way up, and must stay as it was.
            better = _confidence(turned_words) > _confidence(words) + TURN_GAIN
            if better or not orientation.suspect(turned_words):
                image, words = turned, turned_words
            else:
                angle = 0
    route = reroute(image, words, languages) if reroute is not None else None
    if route is not None:
        words = recognise(route[0], image, route[1])
    return angle, image, words


ROUTED_TRUST = 0.80
"""A script-routed reading of the page as it came, this sure, is kept without turning it."""

TURN_GAIN = 0.05
"""How much more confident (character-weighted) a turned page's reading must be."""


def _confidence(words: Sequence[Word]) -> float:
    chars = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / chars if chars else 0.0
