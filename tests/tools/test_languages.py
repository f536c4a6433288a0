"""The OCR result's language label: a language by name, else its script by name."""

from __future__ import annotations

import pytest

from masthead import ocr
from masthead.tools.languages import language_label


def _page(language: str = "", script: str = "") -> ocr.Page:
    return ocr.Page(number=1, width=10, height=10, dpi=300, language=language, script=script)


@pytest.mark.parametrize(
    ("language", "script", "label"),
    [
        ("eng", "Latn", "English"),
        ("", "Cyrl", "Cyrillic script"),
        ("", "Hang", "Korean script"),
        ("", "Hani", "Chinese script"),
        ("", "Beng", "Bengali script"),
        ("", "Zzzz", "Zzzz script"),
        ("", "", "Not identified"),
    ],
)
def test_language_label_names_the_language_or_else_the_script(
    language: str, script: str, label: str
) -> None:
    assert language_label(_page(language, script)) == label


def test_language_label_without_a_page_is_a_dash() -> None:
    assert language_label(None) == "—"
