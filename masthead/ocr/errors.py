"""Errors the OCR library raises on purpose, each with a stable code and a next step.

OcrError                      exit 1   code "ocr_failed"
  BadInputError               exit 3
    EmptyFileError                     empty_file
    UnsupportedFormatError             unsupported_type
    CorruptFileError                   corrupt_file
      CorruptImageError                corrupt_image
      CorruptPdfError                  corrupt_pdf
    EncryptedPdfError                  pdf_encrypted
    UnsupportedLanguageError           unsupported_language
    LanguageUnknownError               language_unknown
    LanguageUnavailableError           language_unavailable
    TooManyLanguagesError              too_many_languages
    NoSupportedScriptError             script_unsupported
  LimitExceededError          exit 4
    FileTooLargeError                  file_too_large
    ImageTooLargeError                 image_too_large
    TooManyPagesError                  too_many_pages
  EngineError                 exit 5
    EngineUnavailableError             engine_unavailable
    EngineCrashedError                 engine_crashed   (transient: a retry may succeed)
    OcrTimeoutError           exit 6   ocr_timeout      (transient)

Callers translate these in one place each (CLI: ``cli.main``; web: the API's exception
handler, which maps ``code`` to an HTTP status). Never match on message text: use ``code``
or the class. Finding no text is not an error.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import ClassVar


class ExitCode(enum.IntEnum):
    """Exit statuses of ``masthead ocr`` (documented in README, "Command line")."""

    OK = 0
    INTERNAL_ERROR = 1
    USAGE = 2
    BAD_INPUT = 3
    LIMIT_EXCEEDED = 4
    ENGINE_FAILED = 5
    TIMEOUT = 6
    OUTPUT_FAILED = 7
    INTERRUPTED = 130


class OcrError(Exception):
    """Base of every error the library raises on purpose."""

    code: ClassVar[str] = "ocr_failed"
    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL_ERROR
    transient: ClassVar[bool] = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by state, since subclasses take other constructor arguments."""
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[OcrError], message: str, state: dict[str, object]) -> OcrError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class BadInputError(OcrError):
    """The file itself cannot be read; retrying the same bytes will fail again."""

    code = "bad_input"
    exit_code = ExitCode.BAD_INPUT


class EmptyFileError(BadInputError):
    code = "empty_file"

    def __init__(self) -> None:
        super().__init__("The file is empty (0 bytes). Choose the file again and re-upload it.")


class UnsupportedFormatError(BadInputError):
    code = "unsupported_type"

    def __init__(self, detail: str = "") -> None:
        found = f" ({detail})" if detail else ""
        super().__init__(
            f"This file type is not supported{found}. "
            "Use PNG, JPEG, WebP, GIF, BMP, TIFF, HEIC or PDF."
        )
        self.detail = detail


class CorruptFileError(BadInputError):
    code = "corrupt_file"


class CorruptImageError(CorruptFileError):
    code = "corrupt_image"

    def __init__(self, detail: str = "") -> None:
        found = f" ({detail})" if detail else ""
        super().__init__(
            f"The image is damaged or incomplete{found}. "
            "Export or download it again and re-upload it."
        )
        self.detail = detail


class CorruptPdfError(CorruptFileError):
    code = "corrupt_pdf"

    def __init__(self, detail: str = "") -> None:
        found = f" ({detail})" if detail else ""
        super().__init__(
            f"The PDF is damaged or cannot be read{found}. "
            "Re-save it from the program that made it (or print it to a new PDF) and retry."
        )
        self.detail = detail


class EncryptedPdfError(BadInputError):
    code = "pdf_encrypted"

    def __init__(self) -> None:
        super().__init__(
            "The PDF is password-protected. Remove the password (save an unprotected copy) "
            "and upload that copy."
        )


class UnsupportedLanguageError(BadInputError):
    code = "unsupported_language"

    def __init__(self, language: str, engine: str, available: tuple[str, ...] = ()) -> None:
        choices = f" Available: {', '.join(available)}." if available else ""
        super().__init__(
            f"The {engine} engine cannot read language {language!r}.{choices} "
            "Choose another language or install its language pack."
        )
        self.language, self.engine, self.available = language, engine, available


class LanguageUnknownError(BadInputError):
    code = "language_unknown"

    def __init__(self, language: str) -> None:
        shown = language[:24]
        super().__init__(
            f"{shown!r} is not a language code. Use a code such as eng, deu, fra, rus or "
            "chi_sim (the list of installed languages names them all)."
        )
        self.language = shown


class LanguageUnavailableError(BadInputError):
    code = "language_unavailable"

    def __init__(
        self,
        language: str,
        name: str,
        package: str,
        *,
        engine: str = "auto",
        other_engines: Sequence[str] = (),
    ) -> None:
        if other_engines:
            how = (
                f"The {engine} engine cannot read it; choose the "
                f"{' or '.join(other_engines)} engine (or auto)."
            )
        else:
            how = f"Install its language pack with: apt-get install {package} (as root)."
        super().__init__(f"{name} ({language}) cannot be read on this server. {how}")
        self.language, self.name, self.package = language, name, package
        self.engine, self.other_engines = engine, tuple(other_engines)


class TooManyLanguagesError(BadInputError):
    code = "too_many_languages"

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"{count} languages were asked for; the limit is {limit}. Name only the "
            "languages the page is written in."
        )
        self.count, self.limit = count, limit


class NoSupportedScriptError(BadInputError):
    code = "script_unsupported"

    def __init__(self, script: str, package: str) -> None:
        super().__init__(
            f"No supported script found: the text looks like {script} script, which no "
            f"installed engine reads. Install its language pack (apt-get install {package}) "
            "or upload a page in another script."
        )
        self.script, self.package = script, package


class LimitExceededError(OcrError):
    """The input is valid but larger than the configured limits allow."""

    code = "limit_exceeded"
    exit_code = ExitCode.LIMIT_EXCEEDED


class FileTooLargeError(LimitExceededError):
    code = "file_too_large"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The file is {_mb(size)}; the limit is {_mb(limit)}. "
            "Compress or split it, or ask the site admin to raise the limit."
        )
        self.size, self.limit = size, limit


class ImageTooLargeError(LimitExceededError):
    code = "image_too_large"

    def __init__(self, width: int, height: int, limit: int, *, page: int = 0, dpi: int = 0) -> None:
        size = f"{width} x {height} pixels" if width >= 0 and height >= 0 else "too large"
        if dpi:  # a PDF page, measured at the lowest resolution it may be rendered at
            text = (
                f"Page {page} would be {size} even at {dpi} dpi; the limit is {limit:,} "
                "pixels per page. Crop the page or print it to a smaller paper size, then retry."
            )
        else:
            what = f"Page {page} is" if page else "The image is"
            text = (
                f"{what} {size}; the limit is {limit:,} pixels per page and both sides must "
                "be at least 1 pixel. Scale it down or crop it, then retry."
            )
        super().__init__(text)
        self.width, self.height, self.limit = width, height, limit
        self.page, self.dpi = page, dpi


class TooManyPagesError(LimitExceededError):
    code = "too_many_pages"

    def __init__(self, pages: int, limit: int, *, exact: bool = True) -> None:
        count = f"{pages}" if exact else f"more than {limit}"
        super().__init__(
            f"This file has {count} pages; the limit is {limit}. "
            "Split the file, or ask the site admin to raise the limit."
        )
        self.pages, self.limit = pages, limit


class EngineError(OcrError):
    """The recognition engine failed, not the input."""

    code = "engine_failed"
    exit_code = ExitCode.ENGINE_FAILED


class EngineUnavailableError(EngineError):
    code = "engine_unavailable"

    def __init__(self, name: str, hint: str = "") -> None:
        how = f" {hint}" if hint else ""
        super().__init__(f"The OCR engine {name!r} is not available on this server.{how}")
        self.name, self.hint = name, hint


class EngineCrashedError(EngineError):
    code = "engine_crashed"
    transient = True

    def __init__(self, name: str, detail: str = "") -> None:
        found = f" ({detail})" if detail else ""
        super().__init__(
            f"The OCR engine {name!r} stopped unexpectedly{found}. Try again in a moment."
        )
        self.name, self.detail = name, detail


class OcrTimeoutError(EngineError):
    code = "ocr_timeout"
    exit_code = ExitCode.TIMEOUT
    transient = True

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Reading the text took longer than {seconds:g} seconds and was stopped. "
            "Try a smaller or clearer image, or fewer pages."
        )
        self.seconds = seconds


def _mb(size: int) -> str:
    from masthead.ocr.sizes import format_size

    return format_size(size)


def _concrete(cls: type[OcrError]) -> list[type[OcrError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_concrete(sub))
    return found


ERROR_CLASSES: tuple[type[OcrError], ...] = tuple(_concrete(OcrError))
"""Every error class, parents included (their codes appear only for subclasses' siblings)."""

ERROR_CODES: tuple[str, ...] = tuple(sorted({cls.code for cls in ERROR_CLASSES}))
"""Every stable ``code`` the library can report, for API docs and the status table."""
