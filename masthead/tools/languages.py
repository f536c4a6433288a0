"""Language names for the OCR page: the picker's choices and the result's label.

The names and the installed list come from the library (``masthead.ocr.languages``, the
same list ``GET /api/v1/ocr/languages`` gives; script names from ``masthead.ocr.script``);
the form and the API still take codes.
"""

from __future__ import annotations

from masthead import ocr
from masthead.ocr import languages as ocr_languages
from masthead.ocr.script import SCRIPT_NAMES


def language_choices() -> list[tuple[str, str]]:
    """("", "Automatic") first, then every installed language (code, name) by name."""
    return [("", "Automatic"), *((lang.code, lang.name) for lang in ocr_languages.installed())]


def language_label(page: ocr.Page | None) -> str:
    """The page's language by name; its script when the language was not identified."""
    if page is None:
        return "—"
    if page.language:
        return ocr_languages.name_of(page.language)
    if page.script:
        return f"{SCRIPT_NAMES.get(page.script, page.script)} script"
    return "Not identified"
