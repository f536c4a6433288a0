"""The error tree: stable unique codes, exit statuses, and messages that say what to do."""

from __future__ import annotations

import pickle

import pytest

from masthead.ocr import errors
from masthead.ocr.errors import ERROR_CLASSES, ERROR_CODES, ExitCode, OcrError

SAMPLES: list[OcrError] = [
    errors.EmptyFileError(),
    errors.UnsupportedFormatError("PSD"),
    errors.CorruptImageError("truncated"),
    errors.CorruptPdfError("no xref"),
    errors.EncryptedPdfError(),
    errors.UnsupportedLanguageError("xyz", "tesseract", ("eng",)),
    errors.LanguageUnknownError("xyz"),
    errors.LanguageUnavailableError("amh", "Amharic", "tesseract-ocr-amh"),
    errors.TooManyLanguagesError(50, 8),
    errors.NoSupportedScriptError("Ethiopic", "tesseract-ocr-amh"),
    errors.FileTooLargeError(60_000_000, 50_000_000),
    errors.ImageTooLargeError(50_000, 50_000, 40_000_000),
    errors.TooManyPagesError(10_000, 100),
    errors.EngineUnavailableError("tesseract", "Install it."),
    errors.EngineCrashedError("rapid", "RuntimeError"),
    errors.OcrTimeoutError(30),
]


def test_every_concrete_error_is_sampled_and_codes_are_unique() -> None:
    leaves = {cls for cls in ERROR_CLASSES if not cls.__subclasses__()}
    assert leaves == {type(e) for e in SAMPLES}
    codes = [cls.code for cls in ERROR_CLASSES]
    assert len(codes) == len(set(codes))
    assert list(ERROR_CODES) == sorted(codes)


def test_library_codes_for_reliability_group_a() -> None:
    needed = {
        "empty_file",
        "unsupported_type",
        "corrupt_image",
        "image_too_large",
        "file_too_large",
        "too_many_pages",
        "pdf_encrypted",
        "corrupt_pdf",
        "ocr_timeout",
        "engine_unavailable",
        "engine_crashed",
    }
    assert needed <= set(ERROR_CODES)


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: e.code)
def test_message_explains_and_exit_code_matches_branch(error: OcrError) -> None:
    assert error.message == str(error)
    assert len(error.message) > 30 and error.message.endswith(".")
    branch = {
        errors.BadInputError: ExitCode.BAD_INPUT,
        errors.LimitExceededError: ExitCode.LIMIT_EXCEEDED,
        errors.EngineError: ExitCode.ENGINE_FAILED,
    }
    expected = next(code for cls, code in branch.items() if isinstance(error, cls))
    if isinstance(error, errors.OcrTimeoutError):
        expected = ExitCode.TIMEOUT
    assert error.exit_code == expected


def test_limits_carry_their_numbers() -> None:
    error = errors.TooManyPagesError(10_000, 100)
    assert (error.pages, error.limit) == (10_000, 100)
    assert "10000 pages" in error.message and "100" in error.message


def test_only_engine_failures_are_transient() -> None:
    transient = {e.code for e in SAMPLES if e.transient}
    assert transient == {"engine_crashed", "ocr_timeout"}


def test_exit_codes_are_distinct() -> None:
    values = [code.value for code in ExitCode]
    assert len(values) == len(set(values)) and ExitCode.OK.value == 0


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: e.code)
def test_errors_survive_pickling(error: OcrError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.message, copy.__dict__) == (type(error), error.message, error.__dict__)
