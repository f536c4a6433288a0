"""Masthead's OCR library: images and PDFs in, a Document of words with boxes out.

Framework-free: nothing here imports Django, Celery or the site's apps. Typical use::

    from masthead.ocr import run, render, OcrOptions
    doc = run(Path("receipt.jpg"), OcrOptions(engine="rapid"))
    print(render(doc, "markdown"))
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

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
    LanguageUnavailableError,
    LanguageUnknownError,
    LimitExceededError,
    NoSupportedScriptError,
    OcrError,
    OcrTimeoutError,
    TooManyLanguagesError,
    TooManyPagesError,
    UnsupportedFormatError,
    UnsupportedLanguageError,
)
from masthead.ocr.export import FORMATS, Exporter, render
from masthead.ocr.options import DEFAULT_OPTIONS, Limits, OcrOptions
from masthead.ocr.receipt import LineItem, Receipt, ReceiptField
from masthead.ocr.receipts import find_receipt
from masthead.ocr.sizes import format_size, parse_size

if TYPE_CHECKING:
    from masthead.ocr.imaging import PageImage
    from masthead.ocr.load import check_upload_size, count_pages, sniff
    from masthead.ocr.pipeline import assemble, open_page, run, run_page

# The pipeline pulls in NumPy, Pillow's decoders and pdfium; it is imported on first use so
# that a process which only needs the result types, errors and formats stays small. The
# upload checks (size, type, page count) come from ``load``, which a web process can
# import without NumPy (and without pdfium until a PDF arrives).
_LAZY = {
    "PageImage": "masthead.ocr.imaging",
    "assemble": "masthead.ocr.pipeline",
    "check_upload_size": "masthead.ocr.load",
    "count_pages": "masthead.ocr.load",
    "open_page": "masthead.ocr.pipeline",
    "run": "masthead.ocr.pipeline",
    "run_page": "masthead.ocr.pipeline",
    "sniff": "masthead.ocr.load",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'masthead.ocr' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, lazy ones included, plus the submodules loaded so far."""
    loaded = {name for name, value in globals().items() if isinstance(value, ModuleType)}
    return sorted(set(__all__) | loaded)


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
    "LanguageUnavailableError",
    "LanguageUnknownError",
    "LimitExceededError",
    "Limits",
    "Line",
    "LineItem",
    "NoSupportedScriptError",
    "OcrError",
    "OcrOptions",
    "OcrTimeoutError",
    "Page",
    "PageImage",
    "Receipt",
    "ReceiptField",
    "TooManyLanguagesError",
    "TooManyPagesError",
    "UnsupportedFormatError",
    "UnsupportedLanguageError",
    "Word",
    "assemble",
    "check_upload_size",
    "count_pages",
    "find_receipt",
    "format_size",
    "open_page",
    "parse_size",
    "render",
    "run",
    "run_page",
    "sniff",
]
