"""The public surface of masthead.ocr is exactly its sorted __all__."""

from __future__ import annotations

import masthead.ocr as ocr


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(ocr) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(ocr, name)).__name__ == "module"}
    style = lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)  # noqa: E731 (isort style, as ruff RUF022)
    assert ocr.__all__ == sorted(ocr.__all__, key=style)
    assert set(ocr.__all__) == public - modules - {"annotations"}


def test_every_exported_name_resolves() -> None:
    for name in ocr.__all__:
        assert getattr(ocr, name) is not None, name


def test_formats_registry_lists_the_eight_formats() -> None:
    assert set(ocr.FORMATS) == {"text", "markdown", "json", "hocr", "pdf", "docx", "xlsx", "csv"}
    assert all(e.extension.startswith(".") and "/" in e.media_type for e in ocr.FORMATS.values())
