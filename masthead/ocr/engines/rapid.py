"""RapidOCR (PP-OCRv6 models bundled in the wheel) on onnxruntime.

Built once per process (``engines.get``): the constructor loads all models eagerly so the
first page is not slower than the rest. Never downloads: it uses the models shipped in
the ``rapidocr`` package. The per-line direction classifier is off, because it turns some
long upright lines upside down; whole-page orientation is decided elsewhere. Options are
passed at construction only, so calls never change each other's settings.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np
from PIL import Image

from masthead.ocr import _ink, _memory
from masthead.ocr.document import BBox, Word, unspaced
from masthead.ocr.engines.base import split_line
from masthead.ocr.errors import EngineCrashedError, EngineUnavailableError

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

INSTALL_HINT = "Install it with: pip install 'rapidocr==3.10.*' onnxruntime"

DETECT_MAX_PIXELS = 1_200_000
"""Most pixels the text detector looks at. Its memory grows with the input (about 160
bytes a pixel: ~450 MB for a 1400 x 2000 page), so larger pages are detected on a smaller
copy; the line crops the recogniser reads still come from the full-size page. Caps of 1.0
and 1.6 million pixels read ocr-dev and ocr-docs-dev as well as no cap (BENCHMARKS.md)."""

DETECT_PRINT_PX = 12
"""Height (pixels) the small print of a page keeps in the detector's copy, at least.

RapidOCR's rule sizes the detector's input by the page's short side (736), whatever the
size of its print, so a small page with large print (a phone photo of a receipt, the
drawn 600 x 900 receipt with 26 px type) is detected with even its smallest marks 16 px
tall. The pixel cap above has the detector read A4 pages at 200 dpi with their small
print (``print_height``) at 5-9 px, and they read almost without error. A page whose
small print is taller than 12 px in the detector's copy is detected on a smaller copy
where it is 12 px: still above those pages (ADR 0042)."""

DETECT_MIN_SHRINK = 0.5
"""Least factor the print rule applies to the detector's copy (per side).

A bound on a wrong estimate (a photo's texture, a page of rules): at worst the copy is
halved, about what the pixel cap already does to an A4 page at 200 dpi (0.53)."""

PRINT_SAMPLES = 20
"""Fewest letters for a print-height estimate; fewer says nothing reliable."""


PRIVATE_REACH_INS: tuple[tuple[str, str], ...] = (
    ("rapidocr.RapidOCR", "_load_det_model"),  # the detector alone (orientation probe)
    ("rapidocr.RapidOCR", "_load_rec_model"),  # the recogniser alone (line crops)
    ("rapidocr.ch_ppocr_det.TextDetector", "get_preprocess"),  # swapped: the pixel cap
    ("rapidocr.ch_ppocr_det.TextDetector", "postprocess_op"),  # swapped: weak boxes on rows
    ("rapidocr.ch_ppocr_det.utils.DBPostProcess", "boxes_from_bitmap"),
    ("rapidocr.ch_ppocr_det.utils.DBPostProcess", "filter_det_res"),
    ("rapidocr.inference_engine.onnxruntime.main.OrtInferSession", "session"),  # rebuilt
    ("onnxruntime.InferenceSession", "_model_path"),  # the model file, to rebuild it
)
"""Every private name of RapidOCR or onnxruntime this adapter uses, in one place.

``missing_private_api()`` checks them; ``tests/ocr/engines/test_rapid_contract.py`` fails
loudly when an upgrade removes one, and the engine refuses to start (engine unavailable,
not a transient crash) rather than misbehave. pyproject pins rapidocr and bounds
onnxruntime to the versions checked."""


def missing_private_api() -> list[str]:
    """The entries of ``PRIVATE_REACH_INS`` the installed packages no longer have."""
    import importlib

    missing: list[str] = []
    for dotted, attribute in PRIVATE_REACH_INS:
        module_name, _, class_name = dotted.rpartition(".")
        try:
            owner = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            missing.append(dotted)
            continue
        if attribute in ("session", "_model_path", "postprocess_op"):
            source = _source_of(owner)
            if attribute not in source:
                missing.append(f"{dotted}.{attribute}")
        elif not hasattr(owner, attribute):
            missing.append(f"{dotted}.{attribute}")
    return missing


def _source_of(owner: type) -> str:
    import inspect

    try:
        return inspect.getsource(owner)
    except (OSError, TypeError):
        return ""


class RapidEngine:
    """The default engine: fast, good on screenshots, receipts, Latin and CJK text."""

    name = "rapid"

    def __init__(self, *, threads: int = 1, timeout: float = 0.0) -> None:
        del timeout  # in-process: the worker's time limit bounds a call
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise EngineUnavailableError(self.name, INSTALL_HINT) from exc
        missing = missing_private_api()
        if missing:
            raise EngineUnavailableError(
                self.name, f"The installed RapidOCR lacks {', '.join(missing)}. {INSTALL_HINT}"
            )
        _memory.bound_heap()  # before the models load: their buffers are mapped too
        try:
            ocr: Any = RapidOCR(params=_params(threads))
            detector = ocr._load_det_model()
            _cap_detector(detector, DETECT_MAX_PIXELS)
            _admit_weak_boxes_on_rows(detector)
            for model in (detector, ocr._load_rec_model()):
                _forget_shapes(model)
            self._ocr = ocr
            # Load every model now. A square warm-up: a thin one is scaled up to 2208x736 by
            # the detector and leaves the process ~220 MB larger for the rest of its life.
            self._ocr(np.full((736, 736, 3), 255, dtype=np.uint8))
        except Exception as exc:  # a model or runtime that cannot load will not on retry
            raise EngineUnavailableError(
                self.name, f"Its models failed to load ({type(exc).__name__}). {INSTALL_HINT}"
            ) from exc

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        """Word boxes for ``image``; ``languages`` is ignored (the models are multilingual)."""
        del languages
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        try:
            output: Any = self._ocr(rgb)
        except (RuntimeError, ValueError, MemoryError) as exc:
            raise EngineCrashedError(self.name, type(exc).__name__) from exc
        if output.boxes is None or output.txts is None:
            return []
        words: list[Word] = []
        results = output.word_results or ()
        gray = np.asarray(rgb.convert("L"))
        for index, (quad, text, score) in enumerate(
            zip(output.boxes, output.txts, output.scores, strict=True)
        ):
            line_words = results[index] if index < len(results) else None
            found = _words(str(text), _box(quad), float(score), line_words, gray)
            words.extend(_without_pattern_glyphs(str(text), found))
        return words

    def detect_lines(self, image: Image.Image) -> list[np.ndarray]:
        """Text-line quadrilaterals (4x2, image pixels) from the detector alone.

        Stateless: calls the detection model directly instead of ``RapidOCR.__call__``,
        whose per-call switches (``use_det=False``...) would stick to later calls.
        """
        bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
        try:
            output: Any = self._ocr._load_det_model()(bgr)
        except (RuntimeError, ValueError, MemoryError) as exc:
            raise EngineCrashedError(self.name, type(exc).__name__) from exc
        return [] if output.boxes is None else [np.asarray(box) for box in output.boxes]

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence for each RGB line crop, from the recogniser alone."""
        if not crops:
            return []
        from rapidocr.ch_ppocr_rec import TextRecInput

        bgr = [np.ascontiguousarray(np.asarray(crop)[:, :, ::-1]) for crop in crops]
        try:
            output: Any = self._ocr._load_rec_model()(TextRecInput(img=bgr))
        except (RuntimeError, ValueError, MemoryError) as exc:
            raise EngineCrashedError(self.name, type(exc).__name__) from exc
        return [
            (str(t), float(s)) for t, s in zip(output.txts or (), output.scores or (), strict=False)
        ]


def print_height(gray: np.ndarray) -> float | None:
    """Height (pixels) of the small print on a greyscale page, or None if unsure.

    Ink is what Otsu's threshold separates from the background (``_ink_components``: the
    side that breaks into letters, so light text on a dark screenshot counts too, and a
    scan's dark edge does not turn it round), in connected components: a letter, or
    several touching ones (small anti-aliased type runs together). Components no wider
    than three times their height give the median letter; those under a third of it
    (dots of i and j, commas, specks) or over an eighth of the page are left out, and
    the 5th percentile of the rest is the small print, so a footer or an 8 pt line
    beside 22 pt decides rather than the median.
    """
    if gray.ndim != 2 or min(gray.shape) < 8:
        return None
    heights, widths = _ink_components(gray)
    sized = (heights >= 2) & (heights <= gray.shape[0] / 8)
    letters = heights[sized & (widths <= 3 * heights)]
    if len(letters) < PRINT_SAMPLES:
        return None
    kept = heights[sized & (heights >= float(np.median(letters)) / 3)]
    return float(np.percentile(kept, 5))


def _components(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heights and widths of the 8-connected components of a 0/1 image."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]


def print_shrink(height: float | None) -> float:
    """Factor (<= 1, per side) for a detector copy whose small print is ``height`` px.

    Print at most ``DETECT_PRINT_PX`` tall, or of unknown height, keeps the copy as it
    is; taller print brings it down to that height, never below ``DETECT_MIN_SHRINK``.
    """
    if height is None or height <= DETECT_PRINT_PX:
        return 1.0
    return max(DETECT_MIN_SHRINK, DETECT_PRINT_PX / height)


def _cap_detector(detector: Any, max_pixels: int) -> None:
    """Make ``detector`` scale its input to at most ``max_pixels`` (after its own rule),
    and smaller still when its print is large (``print_shrink``).

    RapidOCR's detector brings the short side up to 736 and never scales down, so a large
    page is detected at full size. Its boxes are mapped back to the input's pixels either
    way, so only the detector's working copy shrinks; the recogniser still reads line
    crops of the full-size page.
    """
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    class CappedPreProcess(DetPreProcess):
        def resize(self, img: np.ndarray) -> np.ndarray | None:
            height, width = img.shape[:2]
            ratio = 1.0
            if min(height, width) < self.limit_side_len:
                ratio = self.limit_side_len / min(height, width)
            ratio = min(ratio, math.sqrt(max_pixels / (height * width)))
            copy = _resized(img, ratio)
            gray = copy if copy.ndim == 2 else cv2.cvtColor(copy, cv2.COLOR_BGR2GRAY)
            shrink = print_shrink(print_height(gray))
            return copy if shrink == 1.0 else _resized(img, ratio * shrink)

        def normalize(self, img: np.ndarray) -> np.ndarray:
            # RapidOCR's own mixes in float64 mean/std arrays: twice the memory traffic.
            mean = np.asarray(self.mean, dtype=np.float32)
            std = np.asarray(self.std, dtype=np.float32)
            scaled = img.astype(np.float32) * np.float32(self.scale)
            scaled -= mean
            scaled /= std
            return scaled

    def capped() -> DetPreProcess:
        return CappedPreProcess(
            detector.limit_side_len, detector.limit_type, detector.mean, detector.std
        )

    detector.get_preprocess = capped


WEAK_BOX_THRESH = 0.3
"""Least detector score of a box admitted for sitting on a row of stronger ones.

The detector keeps a box when the mean of its probability map over it reaches
``box_thresh`` (0.5). A lone narrow mark, a one-digit quantity such as ``1``, covers little
of its own box and scores 0.4-0.6 on the detector's reduced copy, so it is often lost.
0.3 is the detector's own threshold for a pixel to be text at all (``thresh``)."""

WEAK_MAX_ASPECT = 2.5
"""Widest weak box (width over height) admitted: one to three characters, not a word.

A box is grown back from the detector's shrunk text by the same distance on every side, so
a lone ``1`` comes out about twice as wide as it is tall (1.7-2.0 on dev receipts); 1.5
kept fewer of them (first 40 dev receipts 967 -> 958 edits at 2.5)."""

WEAK_OVERLAP = 0.2
"""Most of a weak box's area a strong box may cover (unclipped boxes of neighbours touch)."""

ROW_CENTRE = 0.25
"""Farthest a weak box's vertical centre may sit from a strong neighbour's, in that
neighbour's heights: on its row, not between two rows."""

ROW_HEIGHTS = (0.5, 2.0)
"""Range of a strong neighbour's height over the weak box's on the same row. Boxes are
grown back from the detector's shrunk text (``unclip_ratio``) by their area over their
perimeter, so a narrow character's box grows less than a long line's."""


def _admit_weak_boxes_on_rows(detector: Any) -> None:
    """Make ``detector`` also keep weak boxes (``WEAK_BOX_THRESH``) that are short and sit
    on a row of boxes it kept anyway (``admit_weak``): a lone digit in a quantity column.

    The boxes it kept before are kept as before; a weak box elsewhere (a stamp, a texture,
    a faint mark off the rows of print) stays out, which a lower threshold for every box
    did not do (ADR 0044).
    """
    from rapidocr.ch_ppocr_det.utils import DBPostProcess

    old = detector.postprocess_op

    class RowPostProcess(DBPostProcess):
        def __call__(
            self, pred: np.ndarray, ori_shape: tuple[int, int]
        ) -> tuple[np.ndarray, list[float]]:
            src_h, src_w = ori_shape
            probability = pred[:, 0, :, :][0]
            mask = (probability > self.thresh).astype(np.uint8)
            if self.dilation_kernel is not None:
                mask = cv2.dilate(mask, self.dilation_kernel)
            strong_at = self.box_thresh
            self.box_thresh = min(strong_at, WEAK_BOX_THRESH)
            try:
                boxes, scores = self.boxes_from_bitmap(probability, mask, src_w, src_h)
            finally:
                self.box_thresh = strong_at
            keep = admit_weak([np.asarray(b) for b in boxes], list(scores), strong_at)
            chosen = [boxes[i] for i in keep]
            return self.filter_det_res(
                np.array(chosen, dtype=np.int32), [scores[i] for i in keep], src_h, src_w
            )

    post = RowPostProcess(
        thresh=old.thresh,
        box_thresh=old.box_thresh,
        max_candidates=old.max_candidates,
        unclip_ratio=old.unclip_ratio,
        score_mode=old.score_mode,
        use_dilation=old.dilation_kernel is not None,
    )
    detector.postprocess_op = post


def admit_weak(boxes: Sequence[np.ndarray], scores: Sequence[float], strong: float) -> list[int]:
    """Indices of the boxes to keep: every box scoring ``strong`` or more, and a weaker box
    no wider than ``WEAK_MAX_ASPECT`` times its height that a strong box of about its height
    shares a row with (``ROW_CENTRE``, ``ROW_HEIGHTS``) and that overlaps no strong box."""
    spans = [_span(box) for box in boxes]
    strong_ids = [i for i, score in enumerate(scores) if score >= strong]
    keep = list(strong_ids)
    for index, score in enumerate(scores):
        if score >= strong or score < WEAK_BOX_THRESH:
            continue
        x0, y0, x1, y1 = spans[index]
        if x1 - x0 > WEAK_MAX_ASPECT * (y1 - y0):
            continue
        others = [spans[i] for i in strong_ids]
        if any(_overlaps(spans[index], other) for other in others):
            continue
        if any(_same_row(spans[index], other) for other in others):
            keep.append(index)
    return sorted(keep)


Span = tuple[float, float, float, float]


def _span(box: np.ndarray) -> Span:
    points = np.asarray(box, dtype=np.float64).reshape(-1, 2)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def _overlaps(weak: Span, strong: Span) -> bool:
    """Whether ``strong`` covers more than ``WEAK_OVERLAP`` of ``weak``'s area (a piece of
    a line already read, not a mark of its own)."""
    width = min(weak[2], strong[2]) - max(weak[0], strong[0])
    height = min(weak[3], strong[3]) - max(weak[1], strong[1])
    area = (weak[2] - weak[0]) * (weak[3] - weak[1])
    return width > 0 and height > 0 and width * height > WEAK_OVERLAP * area


def _same_row(weak: Span, strong: Span) -> bool:
    """Whether ``weak`` sits on ``strong``'s row (``ROW_CENTRE``) at about its height."""
    height = weak[3] - weak[1]
    tall = strong[3] - strong[1]
    if height <= 0 or tall <= 0:
        return False
    offset = abs((weak[1] + weak[3]) - (strong[1] + strong[3])) / 2
    ratio = tall / height
    return offset <= ROW_CENTRE * tall and ROW_HEIGHTS[0] <= ratio <= ROW_HEIGHTS[1]


def _resized(img: np.ndarray, ratio: float) -> np.ndarray:
    """``img`` scaled by ``ratio``, each side a multiple of 32 (the detector's stride)."""
    height, width = img.shape[:2]
    size = (max(32, round(width * ratio / 32) * 32), max(32, round(height * ratio / 32) * 32))
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA if ratio < 1 else cv2.INTER_LINEAR)


def _forget_shapes(model: Any) -> None:
    """Rebuild ``model``'s onnxruntime session with memory patterns off.

    A memory pattern is a buffer plan cached per input shape. Pages and line crops come in
    a new shape almost every call, so the cache only grows: over the 54 development images
    one process went from 316 to 647 MB resident (peak 802 MB); without it, 409 MB (peak
    665 MB), at the same speed.
    """
    import onnxruntime

    old = model.session.session
    options = old.get_session_options()
    options.enable_mem_pattern = False
    model.session.session = onnxruntime.InferenceSession(
        old._model_path, sess_options=options, providers=old.get_providers()
    )


def _params(threads: int) -> dict[str, Any]:
    return {
        "Global.use_cls": False,
        "Global.return_word_box": True,
        # Each character's box (its centre is where the recogniser saw it): words are
        # grouped here, so a space the recogniser dropped is found by its gap (``_words``).
        "Global.return_single_char_box": True,
        "Global.log_level": "error",
        # One line per recogniser call: a batch is padded to its widest line, and six wide
        # lines at once cost ~550 MB against ~175 MB for one, with no speed gain on a CPU.
        "Rec.rec_batch_num": 1,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }


def _box(points: Any) -> BBox:
    """Axis-aligned box around a quadrilateral (or any list of points)."""
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    x0, y0 = np.floor(array.min(axis=0))
    x1, y1 = np.ceil(array.max(axis=0))
    return BBox(max(0, int(x0)), max(0, int(y0)), max(0, int(x1)), max(0, int(y1)))


SPACE_GAP = 0.4
"""A blank between two characters at least this many times the line's height is a space.

The recogniser often drops the spaces around punctuation and in monospaced print ("TEL :
07-386" read as "TEL:07-386"), and RapidOCR splits words only at a gap of more than five
of its columns. The page's own ink shows the space: a blank between two letters'
centres, measured against the height of the word's box, in the ink of that box alone
(``_ink_of_word``). 0.4 is the best of 0.18-0.5 on the first 20 dev receipts
(bench/ocr_errors.py); below 0.3 it splits words apart. With each word's own ink
(ADR 0050) it is still the best of 0.35 / 0.4 / 0.5 on the 97 DEV receipts."""

SKIPPED_INK = 1.5
"""Centres of two neighbouring characters this many heights apart are not one word, blank
or not: the recogniser passed over ink it has no letters for (a script it does not read,
a logo), and a word spanning it would hide that ink from ``_unread`` (RapidOCR's own word
boxes split there; ADR 0044's grouping did not, and two mixed pages of the scripts check
group lost their Thai and Greek lines: ADR 0050). 1.2 and 1.5 read those pages alike."""

COLON_GAP = 0.25
"""``SPACE_GAP`` beside a colon. A colon is a narrow mark in a cell of a letter's width, so
the blank a space leaves beside it is as wide as beside a letter, while the blank without
a space is narrower than between letters ("TEL : 07-386", "Date:12/01"). On the first 40
dev receipts: 0.4 -> 0.25 takes 1,097 edits to 1,074 (0.2: 1,075; 0.3: 1,085)."""


def _words(
    text: str, line_box: BBox, score: float, parts: Any, gray: np.ndarray | None = None
) -> list[Word]:
    """Words from the engine's character boxes when it gave them, else the line split
    proportionally.

    Each word keeps its own box (not the line's): on a skewed scan a long line's axis-aligned
    box spans several text lines, while its words' boxes stay tight. A word ends at a space
    the recogniser read or, given the greyscale page, at a blank in its ink as wide as a
    space (``SPACE_GAP``).
    """
    if not parts or any(p is None or len(p) < 3 or p[2] is None for p in parts):
        return split_line(text, line_box, _clamp(score))
    chars = [(str(t).strip(), _clamp(float(c)), _box(b)) for t, c, b in parts]
    chars = [char for char in chars if char[0]]
    if "".join(c[0] for c in chars) != "".join(text.split()):
        return split_line(text, line_box, _clamp(score))
    groups = _groups_by_text(text, chars)
    if gray is not None:
        groups = [run for group in groups for run in _split_at_blanks(group, gray)]
    return [
        Word(
            "".join(c[0] for c in group),
            BBox.enclosing(c[2] for c in group),
            sum(c[1] for c in group) / len(group),
        )
        for group in groups
    ]


Char = tuple[str, float, BBox]


PATTERN_GLYPHS = 6
"""Fewest ideographs in a line for ``_without_pattern_glyphs`` to judge them."""

PATTERN_VARIETY = 1 / 3
"""Most distinct ideographs per ideograph in a line that is still read as writing."""


def _without_pattern_glyphs(text: str, words: list[Word]) -> list[Word]:
    """``words`` less the ideographs the recogniser reads into a printed pattern.

    The multilingual model reads a row of dot-matrix stars or dashes as a run of a few
    ideographs over and over ("家家寒家家家家"), with fair confidence. Writing does not repeat
    itself that way: a line of at least ``PATTERN_GLYPHS`` ideographs with no more than
    ``PATTERN_VARIETY`` of them distinct is a pattern, and its ideograph words are dropped
    (a pattern's stars the model did read as stars stay, as printed).
    """
    glyphs = [char for char in text if _ideograph(char)]
    if len(glyphs) < PATTERN_GLYPHS or len(set(glyphs)) > PATTERN_VARIETY * len(glyphs):
        return words
    return [word for word in words if not all(_ideograph(char) for char in word.text)]


def _ideograph(char: str) -> bool:
    point = ord(char)
    return 0x3400 <= point <= 0x4DBF or 0x4E00 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF


def _groups_by_text(text: str, chars: list[Char]) -> list[list[Char]]:
    """``chars`` in runs between the spaces of ``text`` (their letters, in order); a
    character of a script written without spaces (Chinese...) is a word of its own, as
    RapidOCR's word boxes have it."""
    groups: list[list[Char]] = []
    index = 0
    for token in text.split():
        run: list[Char] = []
        taken = 0
        while index < len(chars) and taken < len(token):
            char = chars[index]
            if unspaced(char[0][0]) or (run and unspaced(run[-1][0][0])):
                groups.append(run)
                run = []
            run.append(char)
            taken += len(char[0])
            index += 1
        groups.append(run)
    return [group for group in groups if group]


def _ink_components(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heights and widths of the ink's components on a greyscale page: the side of Otsu's
    threshold that makes letters. Dark print on light paper, or light type on a dark
    screen: whichever side breaks into more letter-sized pieces is the ink. (The colour of
    the border says little: a scanned receipt often has a dark strip along its edge.)"""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = (gray <= threshold).astype(np.uint8)
    sides = (_components(dark), _components(1 - dark))  # max keeps the dark side on a tie
    return max(sides, key=lambda side: _letter_count(side[0], side[1], gray.shape[0]))


def _letter_count(heights: np.ndarray, widths: np.ndarray, page_height: int) -> int:
    """How many components are shaped like letters (as ``print_height`` counts them)."""
    return int(
        np.count_nonzero((heights >= 2) & (heights <= page_height / 8) & (widths <= 3 * heights))
    )


def _split_at_blanks(group: list[Char], gray: np.ndarray) -> list[list[Char]]:
    """``group`` split where the page shows a blank as wide as a space (``SPACE_GAP``)
    between the centres of two neighbouring characters."""
    if len(group) < 2:
        return [group]
    box = BBox.enclosing(c[2] for c in group)
    columns = _ink_of_word(gray[max(0, box.y0) : box.y1, max(0, box.x0) : box.x1]).any(axis=0)
    if columns.size == 0:
        return [group]
    runs: list[list[Char]] = []
    run = [group[0]]
    for index, (before, char) in enumerate(itertools.pairwise(group), start=1):
        start = max(0, round(_centre(before[2])) - max(0, box.x0))
        end = max(0, round(_centre(char[2])) - max(0, box.x0))
        gap = COLON_GAP if ":" in (before[0], char[0]) else SPACE_GAP
        spaced = _longest_blank(columns[start:end]) >= gap * box.height
        skipped = end - start > SKIPPED_INK * box.height
        # "71.00": a narrow "1" and a point leave a wide blank, never a space
        if (spaced and not _decimal_point(group, index)) or skipped:
            runs.append(run)
            run = []
        run.append(char)
    runs.append(run)
    return runs


def _decimal_point(group: list[Char], index: int) -> bool:
    """Whether ``group[index]`` is the point of a decimal number, after a digit."""
    after = group[index + 1][0] if index + 1 < len(group) else ""
    return group[index][0] == "." and group[index - 1][0][-1:].isdigit() and after[:1].isdigit()


def _ink_of_word(gray: np.ndarray) -> np.ndarray:
    """The ink of one word's box (True where inked): Otsu's threshold of the box itself,
    and the smaller side is the ink. A page-wide threshold loses faint strokes wherever
    the page has darker parts (a scan's dark edge, a shadow), and the blanks it leaves
    inside words read as spaces."""
    if gray.size == 0:
        return np.zeros(gray.shape, dtype=bool)
    return _ink.ink_mask(gray, *_ink.ink_side(gray))


def _longest_blank(columns: np.ndarray) -> int:
    """The longest run of False in a 1-D boolean array."""
    longest = current = 0
    for has_ink in columns.tolist():
        current = 0 if has_ink else current + 1
        longest = max(longest, current)
    return longest


def _centre(box: BBox) -> float:
    return (box.x0 + box.x1) / 2


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
