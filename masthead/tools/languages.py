"""Language names for the OCR page: the picker's choices and the result's label.

The names and the installed list come from the library (``masthead.ocr.languages``, the
same list ``GET /api/v1/ocr/languages`` gives); the form and the API still take codes.
"""

from __future__ import annotations

from masthead import ocr
from masthead.ocr import languages as ocr_languages

SCRIPTS = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Grek": "Greek",
    "Arab": "Arabic",
    "Hebr": "Hebrew",
    "Deva": "Devanagari",
    "Hang": "Korean",
    "Jpan": "Japanese",
    "Hani": "Chinese",
    "Thai": "Thai",
}


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
        return f"{SCRIPTS.get(page.script, page.script)} script"
    return "Not identified"
