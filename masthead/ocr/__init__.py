"""Masthead's OCR library: images and PDFs in, a Document of words with boxes out.

Framework-free: nothing here imports Django, Celery or the site's apps. Typical use::

    from masthead.ocr import run, render, OcrOptions
    doc = run(Path("receipt.jpg"), OcrOptions(engine="rapid"))
    print(render(doc, "markdown"))
"""

from __future__ import annotations

from masthead.ocr.document import (
    SCHEMA_VERSION,
    BBox,
    Block,
    Cell,
    Document,
    Field,
    Line,
    Page,
    Word,
)
from masthead.ocr.engines import Engine
from masthead.ocr.errors import (
    ERROR_CODES,
    BadInputError,
    CorruptFileError,
    CorruptImageError,
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    EngineCrashedError,
    EngineError,
    EngineUnavailableError,
    ExitCode,
    FileTooLargeError,
    ImageTooLargeError,
    LimitExceededError,
    OcrError,
    OcrTimeoutError,
    TooManyPagesError,
    UnsupportedFormatError,
    UnsupportedLanguageError,
)
from masthead.ocr.export import FORMATS, Exporter, render
from masthead.ocr.load import PageImage
from masthead.ocr.options import DEFAULT_OPTIONS, Limits, OcrOptions
from masthead.ocr.pipeline import (
    assemble,
    check_upload_size,
    count_pages,
    open_page,
    run,
    run_page,
    sniff,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "ERROR_CODES",
    "FORMATS",
    "SCHEMA_VERSION",
    "BBox",
    "BadInputError",
    "Block",
    "Cell",
    "CorruptFileError",
    "CorruptImageError",
    "CorruptPdfError",
    "Document",
    "EmptyFileError",
    "EncryptedPdfError",
    "Engine",
    "EngineCrashedError",
    "EngineError",
    "EngineUnavailableError",
    "ExitCode",
    "Exporter",
    "Field",
    "FileTooLargeError",
    "ImageTooLargeError",
    "LimitExceededError",
    "Limits",
    "Line",
    "OcrError",
    "OcrOptions",
    "OcrTimeoutError",
    "Page",
    "PageImage",
    "TooManyPagesError",
    "UnsupportedFormatError",
    "UnsupportedLanguageError",
    "Word",
    "assemble",
    "check_upload_size",
    "count_pages",
    "open_page",
    "render",
    "run",
    "run_page",
    "sniff",
]
