"""Engine "auto": one engine reads the page, a second only re-reads what the first doubts.

Running every engine on every image doubles the cost for a small gain: RapidOCR is the
better reader on almost every receipt, screenshot and clean document we measured. So
``AutoEngine`` (docs/decisions/0033-engine-fusion.md):

1. sends the page to the *fallback* (Tesseract) straight away when the caller asked for
   a language whose script the primary's models do not cover and a Tesseract pack for it
   is installed (Cyrillic, Arabic, Greek, Devanagari...);
2. otherwise reads the page with the *primary* (RapidOCR);
3. groups the primary's words into lines and picks the doubtful ones: lines whose
   character-weighted confidence is under ``DOUBT``; a page where the primary found no
   text at all is one doubtful region;
4. pastes the doubtful regions, with a margin, into one strip image and has the fallback
   read that strip in a single call;
5. replaces a doubtful line with the fallback's reading only when the fallback is clearly
   more confident (``MARGIN``) and reasonably sure in absolute terms (``TRUST``).

A fallback failure never fails the page: the primary's words stand.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from masthead.ocr import engines, script
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines.base import Engine
from masthead.ocr.errors import EngineUnavailableError, OcrError

DOUBT = 0.80
"""Lines the primary reads with less confidence than this are re-read."""

MARGIN = 0.10
"""The fallback must beat the primary's line confidence by this much."""

TRUST = 0.80
"""...and be at least this confident itself."""

MAX_REGIONS = 40
"""At most this many lines are re-read per page (the least confident first)."""


@dataclass(frozen=True, slots=True)
class Region:
    """A doubtful line: its box on the page, the primary's words and their confidence."""

    bbox: BBox
    words: tuple[Word, ...]
    confidence: float


class AutoEngine:
    """Primary engine everywhere, fallback only on doubtful lines or unsupported scripts."""

    name = "auto"

    def __init__(self, primary: Engine, fallback: Engine | None = None) -> None:
        self.primary, self.fallback = primary, fallback

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        if self.fallback is not None and self.routes_to_fallback(languages):
            return self.fallback.recognise(image, languages=languages)
        words = self.primary.recognise(image, languages=languages)
        return self.refine(image, words, languages)

    def routes_to_fallback(self, languages: Sequence[str]) -> bool:
        """Whether ``languages`` need the fallback's packs for the whole page."""
        return self.fallback is not None and needs_fallback_script(languages, self.fallback)

    def refine(self, image: Image.Image, words: list[Word], languages: Sequence[str]) -> list[Word]:
        """``words`` (the primary's reading of ``image``) with doubtful lines re-read."""
        if self.fallback is None:
            return words
        regions = doubtful(words, image.size)
        if not regions:
            return words
        try:
            return _reread(image, words, regions, self.fallback, languages)
        except OcrError:
            return words


@functools.cache
def auto_engine(*, threads: int = 1, timeout: float = 120.0) -> AutoEngine:
    """The process-wide "auto" engine: RapidOCR, plus Tesseract when it is installed."""
    primary = engines.get("rapid", threads=threads, timeout=timeout)
    try:
        fallback: Engine | None = engines.get("tesseract", threads=threads, timeout=timeout)
    except EngineUnavailableError:
        fallback = None
    return AutoEngine(primary, fallback)


def needs_fallback_script(languages: Sequence[str], fallback: Engine) -> bool:
    """Whether a requested language is in a script only the fallback's packs cover."""
    installed: frozenset[str] = getattr(fallback, "installed", frozenset())
    for code in languages:
        info = script.language_script(code)
        if info and info not in script.RAPID_SCRIPTS and code in installed:
            return True
    return False


def doubtful(words: Sequence[Word], size: tuple[int, int]) -> list[Region]:
    """Lines worth a second reading, least confident first (at most ``MAX_REGIONS``)."""
    if not words:
        return [Region(BBox(0, 0, size[0], size[1]), (), 0.0)]
    regions = [
        Region(BBox.enclosing(w.bbox for w in line), tuple(line), _confidence(line))
        for line in _lines(words)
    ]
    low = [r for r in regions if r.confidence < DOUBT]
    return sorted(low, key=lambda r: r.confidence)[:MAX_REGIONS]


def _confidence(words: Sequence[Word]) -> float:
    chars = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / max(chars, 1)


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped by vertical overlap with their left neighbour (engine lines)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bbox.y0, w.bbox.x0)):
        for line in lines[-8:]:
            last = line[-1].bbox
            overlap = min(last.y1, word.bbox.y1) - max(last.y0, word.bbox.y0)
            near = -last.height < word.bbox.x0 - last.x1 < 2 * last.height
            if near and overlap > 0.6 * min(last.height, word.bbox.height):
                line.append(word)
                break
        else:
            lines.append([word])
    return lines


def _reread(
    image: Image.Image,
    words: list[Word],
    regions: list[Region],
    fallback: Engine,
    languages: Sequence[str],
) -> list[Word]:
    strip, placements = _strip(image, [r.bbox for r in regions])
    found = fallback.recognise(strip, languages=languages)
    replaced: set[int] = set()
    extra: list[Word] = []
    for index, origin, crop_box in placements:
        region = regions[index]
        mine = [w for w in found if _inside(w.bbox, origin)]
        if not mine:
            continue
        if _confidence(mine) >= max(region.confidence + MARGIN, TRUST):
            replaced.update(id(w) for w in region.words)
            dx, dy = crop_box.x0 - origin.x0, crop_box.y0 - origin.y0
            extra += [Word(w.text, w.bbox.shifted(dx, dy), w.confidence) for w in mine]
    return [w for w in words if id(w) not in replaced] + extra


Placement = tuple[int, BBox, BBox]


def _strip(image: Image.Image, boxes: list[BBox]) -> tuple[Image.Image, list[Placement]]:
    """Crops of ``boxes`` (with a margin) stacked top to bottom on a white strip.

    Returns the strip and, per usable box, its index and where its crop sits on the
    strip and on the page.
    """
    width, height = image.size
    crops: list[tuple[int, Image.Image, BBox]] = []
    for index, box in enumerate(boxes):
        margin = max(4, box.height // 3)
        grown = BBox(box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin)
        page_box = grown.clipped(width, height)
        if page_box.width and page_box.height:
            crops.append(
                (index, image.crop((page_box.x0, page_box.y0, page_box.x1, page_box.y1)), page_box)
            )
    gap = max((c.height for _, c, _ in crops), default=10) // 2 + 10
    strip_w = max((c.width for _, c, _ in crops), default=1) + 2 * gap
    strip_h = sum(c.height + gap for _, c, _ in crops) + gap
    mode = image.mode if image.mode in ("L", "RGB") else "RGB"
    strip = Image.new(mode, (strip_w, strip_h), "white")
    placements: list[Placement] = []
    y = gap
    for index, crop, page_box in crops:
        strip.paste(crop, (gap, y))
        placements.append((index, BBox(gap, y, gap + crop.width, y + crop.height), page_box))
        y += crop.height + gap
    return strip, placements


def _inside(box: BBox, area: BBox) -> bool:
    cx, cy = box.center
    return area.x0 <= cx <= area.x1 and area.y0 <= cy <= area.y1
