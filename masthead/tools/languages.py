"""Language and script names for the OCR page: the picker's choices and the result's label.

The picker offers "Automatic" and the languages the site's engines read, by name; the
form and the API still take ISO 639-3 codes underneath.
"""

from __future__ import annotations

from masthead import ocr

NAMES = {
    "eng": "English",
    "deu": "German",
    "fra": "French",
    "spa": "Spanish",
    "ita": "Italian",
    "por": "Portuguese",
    "nld": "Dutch",
    "rus": "Russian",
    "ukr": "Ukrainian",
    "ell": "Greek",
    "ara": "Arabic",
    "heb": "Hebrew",
    "hin": "Hindi",
    "tha": "Thai",
    "kor": "Korean",
    "jpn": "Japanese",
    "chi_sim": "Chinese (simplified)",
    "chi_tra": "Chinese (traditional)",
}
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
    """("", "Automatic") first, then (code, name) sorted by name."""
    named = sorted(NAMES.items(), key=lambda item: item[1])
    return [("", "Automatic"), *named]


def language_label(page: ocr.Page | None) -> str:
    """The page's language by name; its script when the language was not identified."""
    if page is None:
        return "—"
    if page.language:
        return NAMES.get(page.language, page.language)
    if page.script:
        return f"{SCRIPTS.get(page.script, page.script)} script"
    return "Not identified"
