"""Lines of ink an engine read nothing from: where a mixed page's other script sits.

RapidOCR drops lines it scores under 0.5, and a line in a script its models do not know
(Cyrillic, Arabic, Hangul...) scores that low, so a page with an English heading and a
Russian paragraph comes back as the heading alone, confidently. What it left is still on
the page: rows of ink that no word box covers. ``unread_region`` finds such rows shaped
like lines of text (as tall as the page's print, several times wider than tall) and
returns the box around them (the whole width of their ink), for the script router to
look at (ADR 0049). The same rows measure a page's print before anything has read it
(``print_height``), for Tesseract to enlarge small print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image

from masthead.ocr.document import BBox, Word

MAX_PIXELS = 2_000_000
"""Largest image looked at whole; a larger one is looked at reduced (an A4 scan at 600 dpi
is 35 million pixels, and a line of print stays many pixels tall at a quarter the size)."""

INK = 128
"""Grey level under which a pixel is ink (pages reach the router normalised, dark on light)."""

ROW_INK = 0.004
"""Least share of a row's pixels that are ink for the row to belong to a line."""

MIN_SHARE = 0.15
"""Least share of the page's rows of text (read or not) the unread lines must make up."""

MAX_DENSITY = 0.5
"""Most ink a region of unread lines may hold: more is a dark panel or a photo, not print."""

PAD = 0.3
"""Margin (in the word's height) blanked around each word read, for its ascenders and marks."""


def unread_region(image: Image.Image, words: Sequence[Word]) -> BBox | None:
    """The box around the text-shaped rows of ink no word covers, or None if none.

    A line the engine read as confident noise (Hebrew or Thai as Latin-looking letters)
    is covered by its words and is not found here: telling such rows from faded receipt
    rows by their confidence sent half the ocr-dev receipts through the script probe
    (1-16 s each) and changed one (ADR 0049).
    """
    ink, factor = _ink(image)
    if not ink.any():
        return None
    words = [Word(w.text, _reduced(w.bbox, factor), w.confidence) for w in words]
    free = ink.copy()
    heights = [w.bbox.height for w in words if w.bbox.height > 0]
    blank_words(free, words)
    typical = float(np.median(heights)) if heights else 0.0
    lines = text_rows(free, typical)
    if not lines:
        return None
    if len(lines) < MIN_SHARE * (len(lines) + len(_rows(words))):
        return None
    top, bottom = lines[0][0], lines[-1][1]
    # All the ink of those rows: the primary may have read a few pieces of a line it did
    # not know (Latin-looking noise); the region takes the whole line, noise included.
    cols = np.flatnonzero(ink[top:bottom].any(axis=0))
    region = BBox(int(cols[0]), top, int(cols[-1]) + 1, bottom)
    if ink[region.y0 : region.y1, region.x0 : region.x1].mean() > MAX_DENSITY:
        return None  # a dark panel or a photo, not lines of text
    margin = int(max(8.0 / factor, 0.25 * typical))  # the marks and tails of the outer rows
    return BBox(
        max(region.x0 - margin, 0) * factor,
        max(region.y0 - margin, 0) * factor,
        min((region.x1 + margin) * factor, image.width),
        min((region.y1 + margin) * factor, image.height),
    )


def blank_words(free: np.ndarray, words: Sequence[Word], step: int = 1) -> None:
    """Clear the ink of ``free`` under every word's box and ``PAD`` of its height around
    it; ``free`` is the page looked at reduced by ``step`` (the boxes are page pixels)."""
    for word in words:
        box = word.bbox
        pad = int(PAD * box.height)
        top, left = max(box.y0 - pad, 0) // step, max(box.x0 - pad, 0) // step
        bottom, right = max(-(-(box.y1 + pad) // step), 0), max(-(-(box.x1 + pad) // step), 0)
        free[top:bottom, left:right] = False


def text_rows(mask: np.ndarray, typical: float) -> list[tuple[int, int]]:
    """(top, bottom) of each run of rows of ink in ``mask`` shaped like a line of print
    (``typical``: the height of the page's word boxes, 0 when none was read)."""
    bands = _joined(_bands(mask, ROW_INK * mask.shape[1]))
    return [band for band in bands if _text_shaped(mask, band, typical)]


def _joined(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``bands`` with those one blank row apart joined: the marks above a Thai line at 16 px
    (or a Vietnamese or Arabic one) stand a row clear of its letters, and each half alone
    was too thin to count as a line of print."""
    out: list[tuple[int, int]] = []
    for top, bottom in bands:
        if out and top - out[-1][1] <= 1:
            out[-1] = (out[-1][0], bottom)
        else:
            out.append((top, bottom))
    return out


def print_height(image: Image.Image) -> float:
    """The median height of the image's rows of ink shaped like lines of print, in pixels
    (0 when it has none): how large its text is before anything has read it."""
    ink, factor = _ink(image)
    heights = [bottom - top for top, bottom in text_rows(ink, 0.0)]
    return float(np.median(heights)) * factor if heights else 0.0


def _ink(image: Image.Image) -> tuple[np.ndarray, int]:
    """The image's ink mask, looked at reduced by the returned factor when it is larger than
    ``MAX_PIXELS``."""
    factor = max(1, math.ceil(math.sqrt(image.width * image.height / MAX_PIXELS)))
    small = image.reduce(factor) if factor > 1 else image
    return np.asarray(small.convert("L")) < INK, factor


def _reduced(box: BBox, factor: int) -> BBox:
    return BBox(box.x0 // factor, box.y0 // factor, -(-box.x1 // factor), -(-box.y1 // factor))


def _bands(mask: np.ndarray, least: float) -> list[tuple[int, int]]:
    """(top, bottom) of each run of rows with at least ``least`` ink pixels."""
    rows = mask.sum(axis=1) >= max(least, 1)
    bands: list[tuple[int, int]] = []
    start = -1
    for y, on in enumerate(rows):
        if on and start < 0:
            start = y
        elif not on and start >= 0:
            bands.append((start, y))
            start = -1
    if start >= 0:
        bands.append((start, len(rows)))
    return bands


def _text_shaped(mask: np.ndarray, band: tuple[int, int], typical: float) -> bool:
    """A band as tall as the page's print (a word box is taller than its letters: Hebrew
    ink is 0.5 of RapidOCR's boxes; any height from 8 px on a page with none read)
    whose ink runs at least four times its height across the page."""
    top, bottom = band
    height = bottom - top
    if typical:
        if not 0.4 * typical <= height <= 3.0 * typical:
            return False
    elif height < 8:
        return False
    cols = np.flatnonzero(mask[top:bottom].any(axis=0))
    return cols.size >= 2 * height and int(cols[-1] - cols[0]) >= 4 * height


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """The words by row of text: a word whose centre is half a height below the row's
    first word starts the next row."""
    rows: list[list[Word]] = []
    last = -1e9
    for word in sorted(words, key=lambda w: w.bbox.y0 + w.bbox.y1):
        centre = (word.bbox.y0 + word.bbox.y1) / 2
        if centre - last > 0.5 * max(word.bbox.height, 1):
            rows.append([])
            last = centre
        rows[-1].append(word)
    return rows
