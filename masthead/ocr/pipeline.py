"""The OCR pipeline: ``run()`` for a whole file, ``run_page()`` for one page.

``run_page`` is a list of stages, top to bottom; each takes a value and the options and
returns a new value. Workers that fan out page by page call ``count_pages`` and then
``open_page`` + ``run_page`` for each page, and ``assemble`` at the end.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from masthead.ocr import (
    _memory,
    colons,
    engines,
    extract,
    fusion,
    glyphs,
    languages,
    layout,
    leaders,
    load,
    missed_lines,
    orientation,
    preprocess,
    reading,
    receipts,
    script,
)
from masthead.ocr.document import Document, Page, Word
from masthead.ocr.engines.base import Engine
from masthead.ocr.errors import EngineCrashedError, OcrError, OcrTimeoutError
from masthead.ocr.load import PageImage, check_upload_size, count_pages, sniff
from masthead.ocr.options import DEFAULT_OPTIONS, Limits, OcrOptions
from masthead.ocr.receipt import Receipt, ReceiptField

__all__ = [
    "assemble",
    "check_upload_size",
    "count_pages",
    "open_page",
    "resolve_engine",
    "run",
    "run_page",
    "sniff",
]

Progress = Callable[[int, int], None]

log = logging.getLogger(__name__)


def run(
    source: bytes | Path,
    options: OcrOptions = DEFAULT_OPTIONS,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> Document:
    """Read every page of ``source`` and return the document.

    ``progress(done, total)`` is called after each page (and once with ``done == 0``).
    Raises an ``OcrError`` subclass for bad input (``options.languages`` included, checked
    first by ``languages.check``), limits or engine failure.
    """
    checked = languages.check(options.languages, engine=engine.name if engine else options.engine)
    options = options.replace(languages=checked)
    data = load.read(source, options.limits)
    total = load.count_pages(data, options.limits, dpi=options.dpi)
    if progress is not None:
        progress(0, total)
    pages: list[Page] = []
    for image in load.iter_pages(
        data, options.limits, dpi=options.dpi, use_text_layer=options.use_text_layer
    ):
        pages.append(run_page(image, options, engine))
        if progress is not None:
            progress(len(pages), total)
    return assemble(pages, options)


def open_page(
    source: bytes | Path,
    page_no: int,
    limits: Limits,
    *,
    dpi: int = 300,
    use_text_layer: bool = True,
) -> PageImage:
    """Page ``page_no`` (1-based) of ``source``, ready for ``run_page``.

    Pass ``options.dpi`` and ``options.use_text_layer`` to get what ``run`` would read.
    """
    return load.open_page(source, page_no, limits, dpi=dpi, use_text_layer=use_text_layer)


def assemble(pages: Iterable[Page], options: OcrOptions = DEFAULT_OPTIONS) -> Document:
    """The document made of ``pages`` (sorted by number), with its fields extracted and
    its receipt, when a page is one."""
    ordered = tuple(sorted(pages, key=lambda page: page.number))
    if not options.extract_fields:
        return Document(pages=ordered)
    receipt = _receipt(ordered)
    if receipt is not None and receipt.note is not None:
        ordered = _without_note(ordered, receipt.note)
    return Document(pages=ordered, fields=extract.find_fields(ordered), receipt=receipt)


def _without_note(pages: tuple[Page, ...], note: ReceiptField) -> tuple[Page, ...]:
    """``pages`` with the receipt's hand-written note taken out of the text: the text is
    the receipt's print, and the note stays in ``receipt.note`` with its boxes."""
    return tuple(
        page.without_words(note.boxes) if page.number == note.page else page for page in pages
    )


def _receipt(pages: Sequence[Page]) -> Receipt | None:
    """The receipt on ``pages``; None, logged, when its rules fail on a layout they were
    never shown: the text is what was asked for, and it is read."""
    try:
        return receipts.find_receipt(pages)
    except Exception:
        log.exception("receipt extraction failed; the document is returned without a receipt")
        return None


def resolve_engine(options: OcrOptions) -> Engine:
    """The engine ``options.engine`` names; "auto" is RapidOCR with Tesseract as fallback."""
    if options.engine == "auto":
        return fusion.auto_engine(threads=options.threads, timeout=options.limits.timeout)
    return engines.get(options.engine, threads=options.threads, timeout=options.limits.timeout)


def run_page(
    page: PageImage, options: OcrOptions = DEFAULT_OPTIONS, engine: Engine | None = None
) -> Page:
    """Recognise one page: the stages below, in order."""
    if page.words is not None:
        return _text_layer_page(page)
    if page.image is None:
        raise ValueError("a PageImage needs an image or text-layer words")
    with engines.in_use():  # the engine is not released in the middle of a page
        return _read_image(page, page.image, options, engine)


def _read_image(
    page: PageImage, image: Image.Image, options: OcrOptions, engine: Engine | None
) -> Page:
    engine = engine if engine is not None else resolve_engine(options)
    deadline = Deadline(options.limits.timeout)  # from here: building the engine is once a process
    _memory.release_freed_memory()  # the decoder's full-size buffers, before the models' peak
    prepared = preprocess.prepare(image, options)
    deadline.check()
    if _too_thin(image):
        return _blank(page, prepared.page_size, engine.name)
    angle, upright, found_words = reading.read_page(
        prepared.image,
        engine,
        options.languages,
        detect_orientation=options.detect_orientation,
        recognise=functools.partial(_recognise, deadline=deadline),
    )
    gray = np.asarray(upright.convert("L"))
    found_words = colons.add_lone_colons(gray, found_words)
    found_words = leaders.add_leaders(gray, found_words)
    probe = orientation.line_probe(engine)
    if probe is not None:  # print the detector left out, read by the recogniser
        found_words = glyphs.add_lone_glyphs(gray, found_words, probe)
        found_words = missed_lines.add_missed_lines(gray, found_words, probe)
        deadline.check()
    prepared = prepared.with_image(upright)
    words = prepared.to_page(found_words)
    width, height = prepared.page_size
    found = script.detect(" ".join(word.text for word in words))
    _memory.release_freed_memory()
    return Page(
        number=page.number,
        width=width,
        height=height,
        dpi=page.dpi,
        blocks=layout.arrange(words, (width, height)),
        angle=angle,
        language=found.language,
        script=found.script,
        engine=engine.name,
        source="ocr",
    )


THIN = 200
"""A page whose long side is this many times its short side holds no readable line."""


def _too_thin(image: Image.Image) -> bool:
    return max(image.size) > THIN * max(min(image.size), 1)


def _blank(page: PageImage, size: tuple[int, int], engine: str) -> Page:
    """A page with no text (a 1 x 20,000 pixel strip): not an error, and no engine call."""
    return Page(number=page.number, width=size[0], height=size[1], dpi=page.dpi, engine=engine)


def _text_layer_page(page: PageImage) -> Page:
    words = page.words or ()
    return Page(
        number=page.number,
        width=page.width,
        height=page.height,
        dpi=page.dpi,
        blocks=layout.arrange(words, (page.width, page.height)),
        engine="",
        source="text-layer",
    )


class Deadline:
    """The time one page may take (``Limits.timeout``), for every engine alike.

    Checked before and after each engine call: a subprocess engine (Tesseract) is also
    killed at its own timeout, while an in-process one (RapidOCR) cannot be interrupted
    safely mid-call, so a page that ran over is refused as soon as the call returns (the
    worker's hard time limit stops one that never returns).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise OcrTimeoutError(self.seconds)


def _recognise(
    engine: Engine, image: Image.Image, languages: Sequence[str], *, deadline: Deadline
) -> list[Word]:
    """Call the engine; anything but an ``OcrError`` or a list of words is a crash."""
    deadline.check()
    try:
        words = engine.recognise(image, languages=languages)
    except OcrError as exc:
        log.warning("engine %s failed: %s (%s)", engine.name, exc.code, exc.message)
        raise
    except Exception as exc:
        log.warning("engine %s crashed", engine.name, exc_info=True)
        raise EngineCrashedError(engine.name, type(exc).__name__) from exc
    deadline.check()
    if not isinstance(words, list) or not all(isinstance(w, Word) for w in words):
        raise EngineCrashedError(engine.name, "it returned something other than words")
    return words
