"""Engine "auto": RapidOCR reads the page; the script decides whether Tesseract reads it instead.

The bundled RapidOCR models read Latin-script text, Chinese and Japanese well and fast;
for every other script they return punctuation or noise with a confident face. So
``AutoEngine`` (docs/decisions/0039-script-routing.md) routes whole pages, never lines:

1. a requested language RapidOCR does not read (``languages.RAPID_LANGUAGES``: Russian,
   Arabic, Korean, Vietnamese...) sends the page to Tesseract with those packs;
2. otherwise RapidOCR reads it; once the page is upright, ``reroute`` looks at the
   evidence: the script of the letters read (``script.detect``), and when that is
   doubtful (few letters for the boxes found, low confidence, or nothing at all) the
   script Tesseract's OSD sees in the pixels (``Engine.detect_script``);
3. a script RapidOCR does not cover is read again by Tesseract with the installed packs of
   that script plus English, so a mixed page keeps both; Latin text that is Vietnamese
   (its own letters ư, ơ, đ, ă) goes to the Vietnamese pack, which keeps stacked marks;
4. a script no installed pack covers is ``NoSupportedScriptError`` (exit 3 / HTTP 422),
   naming the package to install;
5. when RapidOCR's reading stands, lines of ink it read nothing from (``_unread``: a mixed
   page's Russian or Korean under an English heading) are read by the pack of their
   script, and RapidOCR's words elsewhere are kept (``Patched``, ADR 0049).

Earlier versions also had Tesseract re-read RapidOCR's doubtful lines; measured on the
development sets it changed 3 of 83 pages, each for the worse, at ~10% more time, so it was
removed (docs/decisions/0039).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Sequence

from PIL import Image

from masthead.ocr import _unread, engines, languages, script
from masthead.ocr.document import BBox, Word, char_confidence
from masthead.ocr.engines.base import Engine
from masthead.ocr.errors import EngineUnavailableError, NoSupportedScriptError, OcrError

log = logging.getLogger(__name__)

PRIMARY_SCRIPTS = frozenset({"Latn", "Hani", "Jpan"})
"""Scripts whose pages stay with the primary engine. Its models were trained on Hangul too
(``script.RAPID_SCRIPTS``), but Tesseract's Korean pack reads Korean pages better."""

DOUBT_CONFIDENCE = 0.80
"""A reading less confident than this (character-weighted) asks the pixels for the script."""

DOUBT_LETTERS = 0.45
"""...and so does one whose characters are less than this share letters (noise is mostly
punctuation and digits)."""

PROBE_ORDER = ("Cyrl", "Arab", "Hebr", "Deva", "Thai", "Hang", "Grek", "Beng", "Taml", "Geor")
"""Scripts tried, in this order after OSD's guess, when the pixels are all we have."""

MAX_PROBES = 8
"""Most scripts tried on one doubtful page."""

PROBE_TRUST = 0.85
"""A probe this sure (confidence x share of letters in its script) stops the search."""

PROBE_FLOOR = 0.70
"""The best probe must reach this, or the primary's reading stands."""

MAX_PACKS = 3
"""Most packs of one script handed to Tesseract (each one slows it down)."""

Route = tuple[Engine, tuple[str, ...]]


class AutoEngine:
    """The primary engine for the scripts it covers, the fallback's packs for the rest."""

    name = "auto"

    def __init__(self, primary: Engine, fallback: Engine | None = None) -> None:
        self.primary, self.fallback = primary, fallback

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        """The page read by the engine the requested ``languages`` need (no rerouting)."""
        reader, wanted = self.reader(languages)
        return reader.recognise(image, languages=wanted)

    def reader(self, requested: Sequence[str]) -> Route:
        """The engine and packs for a page in ``requested`` languages (empty: detect)."""
        if self.fallback is not None and requested and self._fallback_needed(requested):
            packs = _with_english(tuple(requested), self._packs())
            return self._pack_reader(packs), packs
        return self.primary, tuple(requested)

    def reroute(
        self, image: Image.Image, words: Sequence[Word], requested: Sequence[str]
    ) -> Route | None:
        """Where the upright page should be read again, or None to keep ``words``.

        Raises:
            NoSupportedScriptError: the page is doubtful, no installed pack reads it, and
                OSD names a script no installed pack covers.
        """
        if requested or self.fallback is None:
            return None
        installed = self._packs()
        found = script.detect(" ".join(w.text for w in words))
        if found.script == "Latn" and not _doubtful(words):
            if "vie" not in installed:
                if _vietnamese(words):
                    return None  # Vietnamese, but no pack reads it better
            elif self._reads_vietnamese(image, words):
                return self.fallback, _with_english(("vie",), installed)
        if found.script and found.script not in PRIMARY_SCRIPTS and found.share >= 0.5:
            packs = script_packs(found.script, installed)
            if packs:
                packs = _with_english(packs, installed)
                return self._pack_reader(packs), packs
        if not _doubtful(words):
            return self._unread_route(image, words, installed, sure=True)
        seen = self._pixel_script(image)
        if seen in PRIMARY_SCRIPTS or (not seen and not words):
            # The primary's own script (or a blank page): its reading stands, but for
            # lines of ink it read nothing from (a mixed page's other script).
            return self._unread_route(image, words, installed)
        target = self._probe(image, seen, installed)
        if target:
            packs = _with_english(script_packs(target, installed), installed)
            return self._pack_reader(packs), packs
        if seen and not script_packs(seen, installed):
            raise NoSupportedScriptError(script.SCRIPT_NAMES.get(seen, seen), _package(seen))
        return None

    def _pack_reader(self, packs: Sequence[str]) -> Engine:
        """The fallback, for ``packs``; with English beside a right-to-left script's packs,
        one that reads its stray Latin words again (``Unmixed``)."""
        assert self.fallback is not None
        rtl = any(languages.script_of_language(code) in RTL_SCRIPTS for code in packs)
        latin = any(languages.script_of_language(code) == "Latn" for code in packs)
        return Unmixed(self.fallback) if rtl and latin else self.fallback

    def _unread_route(
        self,
        image: Image.Image,
        words: Sequence[Word],
        installed: frozenset[str],
        *,
        sure: bool = False,
    ) -> Route | None:
        """The fallback for the lines the primary read nothing from (``_unread``), or read
        in part in a script it lacks (``_foreign``), if an installed pack reads them; the
        primary's words elsewhere are kept. For the lines it read, their letters name the
        script the probe tries first; for unread ink, OSD's guess from the pixels.

        On a page the primary read ``sure``ly elsewhere, ink it read nothing from is seldom
        Latin, which it reads well, though OSD says Latin for small or blurred Thai and
        Hangul: there a pack of another script reads the rows if it reads them better than
        the English pack does. (On a doubtful page, such as one upside down, unread ink is
        common and OSD's Latin stands: probing it cost a page 23 s.)"""
        assert self.fallback is not None
        named, region = "", _unread.unread_region(image, words)
        if region is None:
            foreign = _foreign(words)
            if foreign is None:
                return None
            named, region = foreign
        crop = _bordered(image.crop((region.x0, region.y0, region.x1, region.y1)))
        seen = named or self._pixel_script(crop)
        doubted = sure and not named and seen == "Latn"
        if seen in PRIMARY_SCRIPTS and not doubted:
            return None
        target, score = self._probe_scored(crop, "" if doubted else seen, installed)
        if not target or (doubted and score <= self._latin_score(crop, installed)):
            return None
        packs = _with_english(script_packs(target, installed), installed)
        region = self._grown(image, region, words, target, packs)
        kept = [w for w in words if not _inside(w.bbox, region)]
        return Patched(self._pack_reader(packs), region, kept), packs

    def _grown(
        self,
        image: Image.Image,
        region: BBox,
        words: Sequence[Word],
        target: str,
        packs: tuple[str, ...],
    ) -> BBox:
        """``region`` and the rows next to it that ``packs`` read in the ``target`` script.

        The primary reads some lines of a script it lacks as noise (Thai as a few Greek
        and Latin letters, Hebrew as "D' D90 7107") or in part (Greek without its accented
        letters); those lines are covered by words, so only their unread neighbours make
        up the region.
        Each row of words just above or below it is read with the target's packs in turn,
        and joins it while that reading is in the script (``PROBE_FLOOR``); an English
        row reads as Latin and ends the growth. At most ``GROW_ROWS`` rows each way.
        """
        assert self.fallback is not None
        rows = _rows([w for w in words if not _inside(w.bbox, region)])
        above = [r for r in rows if r.y1 <= region.y0 + GROW_OVERLAP * r.height]
        below = [r for r in rows if r.y0 >= region.y1 - GROW_OVERLAP * r.height]
        sides = (sorted(above, key=lambda r: -r.y1), sorted(below, key=lambda r: r.y0))
        for side in sides:
            for row in side[:GROW_ROWS]:
                line = BBox(min(row.x0, region.x0), row.y0, max(row.x1, region.x1), row.y1)
                crop = _bordered(image.crop((line.x0, line.y0, line.x1, line.y1)))
                found = _read(self.fallback, crop, packs, "reading a row again")
                if found is None or _in_script(found, target) < PROBE_FLOOR:
                    break
                region = BBox.enclosing((region, line))
        return region

    def _reads_vietnamese(self, image: Image.Image, words: Sequence[Word]) -> bool:
        """Whether the page is Vietnamese: by its letters, or, when the primary kept only
        fewer, by the Vietnamese pack's reading of the rows that hold a hint of them.

        The primary's models lack most stacked letters (ể, ộ) and skip them, so a
        Vietnamese line can come back with a single Vietnamese letter, or only a đ; that
        letter is the hint (``script.vietnamese_hint``), and the pack reading three letters
        only Vietnamese writes in those rows confirms it (a Croatian đ does not). Other
        Latin pages do not pay for the probe: none of the 150 receipts has a hint.
        """
        if _vietnamese(words):
            return True
        hinted = [w for w in words if any(map(script.vietnamese_hint, w.text))]
        if not hinted or self.fallback is None:
            return False
        rows = _rows_across(hinted, words)
        crop = _bordered(image.crop((rows.x0, rows.y0, rows.x1, rows.y1)))
        found = _read(self.fallback, crop, ("vie",), "Vietnamese probe")
        return found is not None and _vietnamese(found)

    def _probe(self, image: Image.Image, seen: str, installed: frozenset[str]) -> str:
        """The installed script whose pack reads ``image`` best and surely, or "".

        OSD's guess ``seen`` is tried first; OSD confuses some scripts (Hebrew for Thai
        in our pages) and misses others (Devanagari), so each installed script is tried
        in turn until one reads the page with confidence (``PROBE_TRUST``).
        """
        return self._probe_scored(image, seen, installed)[0]

    def _probe_scored(
        self, image: Image.Image, seen: str, installed: frozenset[str]
    ) -> tuple[str, float]:
        """``_probe``'s script and how well its pack read ``image`` (``_in_script``)."""
        assert self.fallback is not None
        order = [seen] if seen else []
        order += [code for code in PROBE_ORDER if code != seen]
        best, best_score = "", 0.0
        for target in order[:MAX_PROBES]:
            packs = script_packs(target, installed)[:2]
            if not packs:
                continue
            found = _read(self.fallback, image, packs, f"script probe {target}")
            if found is None:
                continue
            value = _in_script(found, target)
            if value > best_score:
                best, best_score = target, value
            if value >= PROBE_TRUST:
                break
        return (best, best_score) if best_score >= PROBE_FLOOR else ("", 0.0)

    def _latin_score(self, image: Image.Image, installed: frozenset[str]) -> float:
        """How well the English pack reads ``image`` as Latin (``_in_script``); 0 without it."""
        assert self.fallback is not None
        if "eng" not in installed:
            return 0.0
        found = _read(self.fallback, image, ("eng",), "Latin probe")
        return _in_script(found, "Latn") if found is not None else 0.0

    def _fallback_needed(self, requested: Sequence[str]) -> bool:
        packs = self._packs()
        return any(code not in languages.RAPID_LANGUAGES and code in packs for code in requested)

    def _packs(self) -> frozenset[str]:
        return frozenset(getattr(self.fallback, "installed", frozenset()))

    def _pixel_script(self, image: Image.Image) -> str:
        detect = getattr(self.fallback, "detect_script", None)
        if detect is None:
            return ""
        try:
            found: str = detect(image)
        except OcrError as exc:
            log.warning("script detection failed: %s (%s)", exc.code, exc.message)
            return ""
        return found


class Unmixed:
    """The fallback's reading of a page in a right-to-left script with English loaded,
    and the Latin words it made up in that script's lines read again without English.

    English is loaded so that a mixed page keeps its English lines, but then Tesseract
    now and then reads one Arabic or Hebrew word of a line as a few Latin letters it is
    unsure of ("ole" for يغادر, in a photo at 20 px). Such a word (Latin letters, less
    sure than ``STRAY_BELOW``, on a row of right-to-left words) is read again by the
    script's packs alone, and their words in its place win when they are in the script
    and surer. A page without such a word is read once.
    """

    name = "auto"

    def __init__(self, fallback: Engine) -> None:
        self.fallback = fallback

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        words = self.fallback.recognise(image, languages=languages)
        own = _without_latin(languages)
        stray = _stray_latin(words)
        if not stray or not own:
            return words
        again = _read(self.fallback, image, own, "reading stray Latin words again")
        if again is None:
            return words
        out: list[Word] = []
        for index, word in enumerate(words):
            found = [w for w in again if _inside(w.bbox, word.bbox)] if index in stray else []
            if found and _in_rtl(found) and char_confidence(found) > word.confidence:
                out += found
            else:
                out.append(word)
        return out


def _read(engine: Engine, image: Image.Image, packs: Sequence[str], what: str) -> list[Word] | None:
    """``engine``'s reading of ``image`` with ``packs``, or None when it failed (logged as
    ``what``): a probe or second reading that fails leaves the page as it was read."""
    try:
        return engine.recognise(image, languages=packs)
    except OcrError as exc:
        log.warning("%s failed: %s (%s)", what, exc.code, exc.message)
        return None


RTL_SCRIPTS = frozenset({"Arab", "Hebr"})

STRAY_BELOW = 0.80
"""A Latin word this unsure on a row of right-to-left words is read again (``Unmixed``);
an English word Tesseract read surely stays as it is."""


def _stray_latin(words: Sequence[Word]) -> set[int]:
    """Indices of the unsure Latin words whose row is mostly right-to-left letters."""
    stray: set[int] = set()
    for index, word in enumerate(words):
        if word.confidence >= STRAY_BELOW or not _letters_of(word.text, "Latn"):
            continue
        row = [w.text for w in words if w is not word and w.bbox.same_row(word.bbox)]
        rtl = sum(_letters_of(text, code) for text in row for code in RTL_SCRIPTS)
        if rtl > sum(_letters_of(text, "Latn") for text in row):
            stray.add(index)
    return stray


def _without_latin(packs: Sequence[str]) -> tuple[str, ...]:
    return tuple(code for code in packs if languages.script_of_language(code) != "Latn")


def _letters_of(text: str, target: str) -> int:
    return sum(ch.isalpha() and script.script_of(ch) == target for ch in text)


def _in_rtl(words: Sequence[Word]) -> bool:
    letters = [ch for w in words for ch in w.text if ch.isalpha()]
    return bool(letters) and all(script.script_of(ch) in RTL_SCRIPTS for ch in letters)


class Patched:
    """Words of ``kept`` (the primary's reading outside ``region``) plus ``fallback``'s
    reading of ``region``: a mixed page keeps the lines each engine reads."""

    name = "auto"

    def __init__(self, fallback: Engine, region: BBox, kept: Sequence[Word]) -> None:
        self.fallback, self.region, self.kept = fallback, region, list(kept)

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        box = self.region
        crop = _bordered(image.crop((box.x0, box.y0, box.x1, box.y1)))
        found = self.fallback.recognise(crop, languages=languages)
        dx, dy = box.x0 - BORDER, box.y0 - BORDER
        moved = [Word(w.text, w.bbox.shifted(dx, dy), w.confidence) for w in found]
        return [*self.kept, *moved]


BORDER = 32
"""White pixels around a region read alone: Tesseract's layout analysis finds phantom
lines in a crop whose text runs to its edges (a Hangul crop read "르르 2ㄴ" between lines)."""


def _bordered(crop: Image.Image) -> Image.Image:
    white = (255,) * len(crop.getbands()) if len(crop.getbands()) > 1 else 255
    canvas = Image.new(crop.mode, (crop.width + 2 * BORDER, crop.height + 2 * BORDER), white)
    canvas.paste(crop, (BORDER, BORDER))
    return canvas


FOREIGN_LETTERS = 2
"""Fewest letters of a script the primary does not read for their lines to be read again.

One is a stray misreading (a "θ" on one of the 150 benchmark receipts); a Thai line read as
noise strays into Greek by two (two iotas among Latin letters). Was 8, counting whole
words in such a script, and missed that line (ADR 0049, update of 2026-12-06)."""


def _foreign(words: Sequence[Word]) -> tuple[str, BBox] | None:
    """The script the primary's models were not trained on (Greek, Cyrillic...) that most
    letters outside its scripts are written in, and the rows of the words holding them
    across the width of the page's words; None when there are fewer than
    ``FOREIGN_LETTERS`` such letters.

    The primary reads some of such a line and drops the rest (a Greek line loses its
    letters with an accent, a third of them), or reads it as noise of a few letters that
    strays into a script it lacks (a Thai line as two iotas among Latin letters), so its
    words cover the line's ink and ``_unread`` does not see it; on a page mostly in
    English the script is a minority and the page stays with the primary. Those rows are
    what the script probe should look at; its floor decides whether they are writing.
    """
    letters: Counter[str] = Counter()
    holders: dict[str, list[Word]] = {}
    for word in words:
        for code in map(script.script_of, word.text):
            if code and code not in script.RAPID_SCRIPTS:
                letters[code] += 1
                holders.setdefault(code, []).append(word)
    if letters.total() < FOREIGN_LETTERS:
        return None
    named = letters.most_common(1)[0][0]
    return named, _rows_across(holders[named], words)


def _rows_across(chosen: Sequence[Word], words: Sequence[Word]) -> BBox:
    """The rows of the ``chosen`` words, across the width of all the page's ``words``."""
    rows = BBox.enclosing(w.bbox for w in chosen)
    across = BBox.enclosing(w.bbox for w in words)
    return BBox(across.x0, rows.y0, across.x1, rows.y1)


GROW_ROWS = 3
"""Most rows of words ``AutoEngine._grown`` reads again on each side of a region."""

GROW_OVERLAP = 0.3
"""Share of a row's height that may reach into the region and still be beside it."""


def _rows(words: Sequence[Word]) -> list[BBox]:
    """The boxes of ``words``' rows (words side by side on one line of text), top down."""
    rows: list[BBox] = []
    for word in sorted(words, key=lambda w: w.bbox.center[1]):
        if rows and rows[-1].same_row(word.bbox):
            rows[-1] = BBox.enclosing((rows[-1], word.bbox))
        else:
            rows.append(word.bbox)
    return rows


def _inside(box: BBox, region: BBox) -> bool:
    x, y = box.center
    return region.x0 <= x <= region.x1 and region.y0 <= y <= region.y1


@functools.cache
def auto_engine(*, threads: int = 1, timeout: float = 120.0) -> AutoEngine:
    """The process-wide "auto" engine: RapidOCR, plus Tesseract when it is installed."""
    primary = engines.get("rapid", threads=threads, timeout=timeout)
    try:
        fallback: Engine | None = engines.get("tesseract", threads=threads, timeout=timeout)
    except EngineUnavailableError as exc:
        log.warning("engine auto runs without Tesseract: %s", exc.message)
        fallback = None
    return AutoEngine(primary, fallback)


engines.forget_with_engines(auto_engine.cache_clear)


def script_packs(target: str, installed: frozenset[str]) -> tuple[str, ...]:
    """Installed Tesseract packs for the ISO 15924 ``target`` script, the usual first."""
    preferred = script.TESSERACT_PACKS.get(target, ())
    others = sorted(code for code in installed if languages.script_of_language(code) == target)
    ordered = [code for code in preferred if code in installed]
    ordered += [code for code in others if code not in ordered]
    return tuple(ordered[:MAX_PACKS])


def _with_english(packs: tuple[str, ...], installed: frozenset[str]) -> tuple[str, ...]:
    """``packs`` plus English (mixed pages keep their English) unless a Latin one is there.

    Not for Korean: with English loaded, Tesseract reads some Hangul words as Latin noise.
    """
    if "kor" in packs:
        return packs
    if "eng" in installed and not any(
        languages.script_of_language(code) == "Latn" for code in packs
    ):
        return (*packs, "eng")
    return packs


def _package(target: str) -> str:
    packs = script.TESSERACT_PACKS.get(target, ())
    return languages.debian_package(packs[0]) if packs else "tesseract-ocr-all"


def _doubtful(words: Sequence[Word]) -> bool:
    chars = [ch for w in words for ch in w.text if not ch.isspace()]
    if not chars:
        return True
    confidence = sum(w.confidence * len(w.text) for w in words) / len(chars)
    letters = sum(ch.isalpha() for ch in chars) / len(chars)
    return confidence < DOUBT_CONFIDENCE or letters < DOUBT_LETTERS


def _in_script(words: Sequence[Word], target: str) -> float:
    """Confidence of ``words`` times the share of their letters written in ``target``."""
    letters = [ch for w in words for ch in w.text if ch.isalpha()]
    if len(letters) < 4:
        return 0.0
    share = sum(script.script_of(ch) == target for ch in letters) / len(letters)
    return char_confidence(words) * share


def _vietnamese(words: Sequence[Word]) -> bool:
    return script.vietnamese(" ".join(w.text for w in words))
