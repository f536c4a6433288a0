"""Page orientation: which multiple of 90 degrees turns a page upright.

Decided once per page, never per line: RapidOCR's per-line direction classifier turns
some long upright lines upside down, and a page is almost never mixed.

Method (docs/decisions/0032-page-orientation.md), on a downscaled copy of the page:

1. *Axis* from text-line geometry: the detector's line boxes are long and flat on an
   upright or upside-down page and tall and thin on a page turned by 90 or 270 degrees.
   Box lengths vote, so a few stray boxes (a logo, a vertical rule) do not decide.
2. *Direction* from recognition confidence: the longest few lines are read both ways
   (0 vs 180, or 90 vs 270) and the direction the recogniser is surer about wins. Reading
   a handful of crops costs a fraction of reading the page.

Engines that expose line detection and crop recognition (``LineProbe``, the RapidOCR
engine) use the fast path above; any other engine is asked to read the downscaled page
in each candidate orientation and the most confident reading wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from PIL import Image

from masthead.ocr import layout
from masthead.ocr.document import BBox, Word, char_confidence
from masthead.ocr.engines.base import Engine

PROBE_SIDE = 1280
"""Longest side of the copy used to decide (pixels); never upscaled."""

PROBE_LINES = 6
"""How many of the longest lines are read both ways."""

SUSPECT_CONFIDENCE = 0.85
"""A first reading less confident than this (character-weighted) triggers the probe."""

ANGLES = (0, 90, 180, 270)

_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL names counter-clockwise turns
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


@runtime_checkable
class LineProbe(Protocol):
    """What the fast path needs from an engine: line boxes, and reading of line crops."""

    def detect_lines(self, image: Image.Image) -> list[np.ndarray]:
        """Quadrilaterals (4 x 2 points) around text lines, in ``image`` pixels."""
        ...

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence (0-1) for each RGB line crop, in order."""
        ...


def rotate(image: Image.Image, angle: int) -> Image.Image:
    """``image`` turned ``angle`` degrees clockwise (0, 90, 180 or 270)."""
    if angle not in ANGLES:
        raise ValueError(f"angle must be one of {ANGLES}, not {angle}")
    return image if angle == 0 else image.transpose(_TRANSPOSE[angle])


def suspect(words: Sequence[Word]) -> bool:
    """Whether a reading of a page hints that the page is not upright.

    Upright text reads with high confidence in flat word boxes; text upside down reads
    with low confidence, and text turned by 90 degrees gives tall boxes. Weighted by
    characters, so a few short or noisy words never decide.
    """
    if not words:
        return True  # nothing read: a turned page can hide all of its text
    confidence = char_confidence(_long_words(words))
    return confidence < SUSPECT_CONFIDENCE or on_end(words)


def on_end(words: Sequence[Word]) -> bool:
    """Whether most of a reading's text (by characters) lies in boxes taller than wide:
    lines running up or down the page, as a page on its side reads."""
    long_words = _long_words(words)
    chars = sum(len(w.text) for w in long_words)
    tall = sum(len(w.text) for w in long_words if w.bbox.height > w.bbox.width)
    return chars > 0 and tall > 0.5 * chars


def _long_words(words: Sequence[Word]) -> list[Word]:
    # Short words alone are all there is when a turned line falls apart into fragments.
    return [w for w in words if len(w.text) >= 3] or list(words)


def detect(image: Image.Image, engine: Engine) -> int:
    """Degrees clockwise (0, 90, 180 or 270) that turn ``image`` upright; 0 if no text."""
    return probe(image, engine)[0]


def probe(image: Image.Image, engine: Engine, words: Sequence[Word] = ()) -> tuple[int, float]:
    """``detect``'s angle, and the character-weighted confidence (0-1) of the page's
    text read that way up: how well the winning turn reads, not only that it won (text
    in a script the engine does not know wins some turn while reading as noise in all).

    ``words``, a reading of ``image`` as it is, lends the probe its rows: when they lie
    flat, the only question is upright or upside down, and the detector need not look for
    the lines again (a second detection was a third of the probe's time on routed pages).
    """
    small = _downscale(image.convert("RGB"), PROBE_SIDE)
    lines = line_probe(engine)
    if lines is not None:
        rows = _flat_rows(words, small.width / max(image.width, 1))
        if rows:
            return _direction(small, rows, lines)
        return _detect_by_lines(small, lines)
    return _detect_by_reading(small, engine)


def _flat_rows(words: Sequence[Word], scale: float) -> list[np.ndarray]:
    """Quadrilaterals around the visual rows of ``words``, scaled by ``scale``; none
    when the words stand on end (a quarter turn, which the detector must find)."""
    if not words or is_vertical([_quad(word.bbox, scale) for word in words]):
        return []
    size = (max(w.bbox.x1 for w in words), max(w.bbox.y1 for w in words))
    rows = layout.visual_rows(words, size)
    return [_quad(BBox.enclosing(w.bbox for w in row), scale) for row in rows if row]


def _quad(box: BBox, scale: float) -> np.ndarray:
    x0, y0, x1, y1 = (value * scale for value in (box.x0, box.y0, box.x1, box.y1))
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


def line_probe(engine: Engine) -> LineProbe | None:
    """``engine`` itself, or the primary engine it wraps, when it can probe lines."""
    if isinstance(engine, LineProbe):
        return engine
    primary = getattr(engine, "primary", None)
    return primary if isinstance(primary, LineProbe) else None


def _downscale(image: Image.Image, side: int) -> Image.Image:
    factor = side / max(image.size)
    if factor >= 1:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.BILINEAR)


def _detect_by_lines(image: Image.Image, probe: LineProbe) -> tuple[int, float]:
    found = _quads(image, probe)
    if found is None:
        # Detectors tuned for horizontal text can miss a short line standing on end:
        # look once more with the page turned a quarter.
        quarter = rotate(image, 90)
        turned = _quads(quarter, probe)
        if turned is None:
            return 0, 0.0
        angle, sure = _direction(quarter, turned, probe)
        return (90 + angle) % 360, sure
    return _direction(image, found, probe)


def _quads(image: Image.Image, probe: LineProbe) -> list[np.ndarray] | None:
    quads = [np.asarray(q, dtype=np.float64).reshape(4, 2) for q in probe.detect_lines(image)]
    return quads or None


def _direction(image: Image.Image, quads: list[np.ndarray], probe: LineProbe) -> tuple[int, float]:
    vertical = is_vertical(quads)
    crops = _longest_crops(np.asarray(image), quads, vertical)
    if not crops:
        return 0, 0.0
    first, second = (90, 270) if vertical else (0, 180)
    turned_first = [np.ascontiguousarray(np.rot90(c, k=-first // 90)) for c in crops]
    turned_second = [np.ascontiguousarray(np.rot90(c, k=-second // 90)) for c in crops]
    read = probe.read_lines(turned_first + turned_second)
    score_first = _confidence(read[: len(crops)])
    score_second = _confidence(read[len(crops) :])
    return (second, score_second) if score_second > score_first else (first, score_first)


def is_vertical(quads: Sequence[np.ndarray]) -> bool:
    """Whether text lines run up/down the image: box lengths vote per axis.

    A line's direction is that of its long side; the corner order of a tilted box says
    nothing, since detectors may start a nearly vertical box at any corner.
    """
    flat = tall = 0.0
    for quad in quads:
        first, second = quad[1] - quad[0], quad[3] - quad[0]
        long, short = (first, second) if np.hypot(*first) >= np.hypot(*second) else (second, first)
        length = float(np.hypot(*long))
        if length < 1.5 * float(np.hypot(*short)):
            continue  # a square-ish box (one glyph, a logo) has no direction
        if abs(long[1]) > abs(long[0]):
            tall += length
        else:
            flat += length
    return tall > flat


def _longest_crops(pixels: np.ndarray, quads: list[np.ndarray], vertical: bool) -> list[np.ndarray]:
    """Axis-aligned crops of the longest lines along the text axis."""
    axis = 1 if vertical else 0

    def length(quad: np.ndarray) -> float:
        return float(np.ptp(quad[:, axis]))

    crops: list[np.ndarray] = []
    for quad in sorted(quads, key=length, reverse=True)[:PROBE_LINES]:
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        crop = pixels[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)]
        if crop.shape[0] >= 4 and crop.shape[1] >= 4:
            crops.append(crop)
    return crops


def _confidence(read: Sequence[tuple[str, float]]) -> float:
    """Character-weighted mean confidence; unread crops count as zero."""
    weights = [max(len(text.strip()), 1) for text, _ in read]
    total = sum(weights)
    return sum(w * score for w, (_, score) in zip(weights, read, strict=True)) / max(total, 1)


def _detect_by_reading(image: Image.Image, engine: Engine) -> tuple[int, float]:
    """Read the page in every orientation and keep the most confident reading."""
    best_angle, best_score, best_sure = 0, -1.0, 0.0
    for angle in ANGLES:
        words = engine.recognise(rotate(image, angle), languages=())
        sure = _confidence([(w.text, w.confidence) for w in words])
        score = sure * min(len(words), 20)
        if score > best_score + 1e-9:
            best_angle, best_score, best_sure = angle, score, sure
    return best_angle, best_sure
