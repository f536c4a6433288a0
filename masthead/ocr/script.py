"""Which writing system and language a page's text is in, and which engine covers it.

``detect(text)`` counts letters per Unicode script (ISO 15924 codes: ``Latn``, ``Cyrl``,
``Arab``, ``Hani``...) and guesses the language of Latin-script text from very common
words (ISO 639-3: ``eng``, ``deu``, ``fra``...). It needs no model and no network, so it
runs on every page.

The bundled RapidOCR models read Latin and CJK scripts. For any other script the
Tesseract language pack for it, when installed, is the engine to use:
``tesseract_languages(script, installed)`` names the packs to pass to Tesseract.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

RAPID_SCRIPTS = frozenset({"Latn", "Hani", "Jpan", "Hang"})
"""Scripts the bundled PP-OCR models were trained on."""

# Unicode character-name prefixes -> ISO 15924 code.
_NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"),
    ("TAMIL", "Taml"),
    ("THAI", "Thai"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("CJK", "Hani"),
)

# Script -> Tesseract pack names that cover it (first is the usual choice).
TESSERACT_PACKS: dict[str, tuple[str, ...]] = {
    "Latn": ("eng", "deu", "fra", "spa", "ita", "por", "nld"),
    "Cyrl": ("rus", "ukr", "bul", "srp"),
    "Grek": ("ell",),
    "Arab": ("ara", "fas", "urd"),
    "Hebr": ("heb",),
    "Deva": ("hin", "mar", "nep"),
    "Beng": ("ben",),
    "Taml": ("tam",),
    "Thai": ("tha",),
    "Geor": ("kat",),
    "Armn": ("hye",),
    "Hang": ("kor",),
    "Jpan": ("jpn",),
    "Hani": ("chi_sim", "chi_tra"),
}

SCRIPT_NAMES: dict[str, str] = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Grek": "Greek",
    "Arab": "Arabic",
    "Hebr": "Hebrew",
    "Deva": "Devanagari",
    "Beng": "Bengali",
    "Taml": "Tamil",
    "Telu": "Telugu",
    "Knda": "Kannada",
    "Mlym": "Malayalam",
    "Gujr": "Gujarati",
    "Guru": "Gurmukhi",
    "Orya": "Odia",
    "Thai": "Thai",
    "Laoo": "Lao",
    "Khmr": "Khmer",
    "Mymr": "Myanmar",
    "Geor": "Georgian",
    "Armn": "Armenian",
    "Ethi": "Ethiopic",
    "Sinh": "Sinhala",
    "Tibt": "Tibetan",
    "Hani": "Chinese",
    "Jpan": "Japanese",
    "Hang": "Korean",
    "Syrc": "Syriac",
    "Thaa": "Thaana",
    "Cher": "Cherokee",
    "Cans": "Canadian Syllabics",
}
"""English names of ISO 15924 script codes."""

# Tesseract OSD's script names -> ISO 15924.
OSD_SCRIPTS: dict[str, str] = {
    "Latin": "Latn",
    "Fraktur": "Latn",
    "Cyrillic": "Cyrl",
    "Greek": "Grek",
    "Arabic": "Arab",
    "Hebrew": "Hebr",
    "Devanagari": "Deva",
    "Bengali": "Beng",
    "Tamil": "Taml",
    "Telugu": "Telu",
    "Kannada": "Knda",
    "Malayalam": "Mlym",
    "Gujarati": "Gujr",
    "Gurmukhi": "Guru",
    "Oriya": "Orya",
    "Thai": "Thai",
    "Lao": "Laoo",
    "Khmer": "Khmr",
    "Myanmar": "Mymr",
    "Georgian": "Geor",
    "Armenian": "Armn",
    "Ethiopic": "Ethi",
    "Sinhala": "Sinh",
    "Tibetan": "Tibt",
    "Han": "Hani",
    "HanS": "Hani",
    "HanT": "Hani",
    "Japanese": "Jpan",
    "Katakana": "Jpan",
    "Hiragana": "Jpan",
    "Korean": "Hang",
    "Hangul": "Hang",
    "Syriac": "Syrc",
    "Thaana": "Thaa",
    "Cherokee": "Cher",
    "Canadian_Aboriginal": "Cans",
}

# A few of the most frequent words per language: enough to tell them apart in a page.
_STOPWORDS: dict[str, frozenset[str]] = {
    "eng": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "it",
            "with",
            "as",
            "you",
            "this",
            "are",
            "be",
            "or",
            "by",
        ]
    ),
    "deu": frozenset(
        [
            "der",
            "die",
            "und",
            "das",
            "ist",
            "nicht",
            "ein",
            "eine",
            "zu",
            "mit",
            "den",
            "von",
            "sich",
            "auf",
            "für",
        ]
    ),
    "fra": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "est",
            "une",
            "un",
            "du",
            "que",
            "pour",
            "dans",
            "pas",
            "sur",
            "au",
            "avec",
        ]
    ),
    "spa": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "que",
            "de",
            "en",
            "es",
            "un",
            "una",
            "por",
            "con",
            "para",
            "del",
            "se",
        ]
    ),
    "ita": frozenset(
        [
            "il",
            "la",
            "che",
            "di",
            "e",
            "un",
            "una",
            "per",
            "non",
            "sono",
            "del",
            "della",
            "con",
            "gli",
            "le",
        ]
    ),
    "por": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "que",
            "de",
            "em",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "do",
            "da",
            "se",
        ]
    ),
    "nld": frozenset(
        ["de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "zijn", "met", "voor"]
    ),
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ScriptInfo:
    """The dominant script (ISO 15924), its share of letters, and a language guess."""

    script: str
    share: float
    language: str = ""

    @property
    def rapid_covers(self) -> bool:
        return self.script in RAPID_SCRIPTS or not self.script


def script_of(char: str) -> str:
    """ISO 15924 code of one letter, or "" for digits, punctuation and unknown scripts."""
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    for prefix, code in _NAME_PREFIXES:
        if name.startswith(prefix):
            return code
    return ""


def detect(text: str) -> ScriptInfo:
    """The script most letters of ``text`` are written in, and the language if known."""
    counts = Counter(code for code in map(script_of, text) if code)
    if not counts:
        return ScriptInfo("", 0.0)
    if counts["Jpan"] and counts["Hani"]:
        counts["Jpan"] += counts.pop("Hani")  # kanji inside kana text is Japanese
    script, hits = counts.most_common(1)[0]
    share = hits / sum(counts.values())
    return ScriptInfo(script, round(share, 3), _language(text, script))


def vietnamese_letter(char: str) -> bool:
    """Whether ``char`` is a letter only Vietnamese uses among Latin-script languages: a
    horn (ơ, ư), a dot below (ạ, ệ), a hook above (ả, ủ), a tilde on e, i, u or y (ĩ, ũ;
    Portuguese puts one on a and o only), or a tone mark stacked on a circumflex or breve
    (ế, ặ). Not đ: Croatian, Bosnian and Serbian write it too (``vietnamese_hint``). The
    recogniser drops some of these letters from a Vietnamese line, so every one it keeps
    counts."""
    decomposed = unicodedata.normalize("NFD", char)
    marks = [m for m in decomposed[1:] if unicodedata.combining(m)]
    if "\u0303" in marks and decomposed[:1].lower() in {"e", "i", "u", "y"}:
        return True
    return bool({"\u031b", "\u0323", "\u0309"} & set(marks)) or len(marks) >= 2


def vietnamese_hint(char: str) -> bool:
    """A letter a Vietnamese line may keep when the recogniser drops the rest: one of
    ``vietnamese_letter`` or đ."""
    return char in "đĐ" or vietnamese_letter(char)


def vietnamese(text: str) -> bool:
    """Whether Latin ``text`` reads as Vietnamese: three or more letters only it writes."""
    return sum(map(vietnamese_letter, text)) >= VIETNAMESE_LETTERS


VIETNAMESE_LETTERS = 3
"""Fewest of ``vietnamese_letter`` for a Latin text to be Vietnamese."""


def _language(text: str, script: str) -> str:
    if script == "Cyrl":
        return "ukr" if any(ch in "іїєґІЇЄҐ" for ch in text) else "rus"
    if script != "Latn":
        return _DEFAULT_LANGUAGE.get(script, "")
    if vietnamese(text):
        return "vie"
    found = _WORD.findall(text)
    if len(found) < 5:
        return ""
    # one-letter words ("a", "e", "o") count in prose only, written in small letters: in
    # capitals on a receipt or a form they are sizes, grades and units ("A5", "GRADE A"),
    # and three of them made Malaysian receipts Portuguese
    counted = [w.casefold() for w in found if len(w) > 1 or w.islower()]
    hits = {lang: sum(w in stop for w in counted) for lang, stop in _STOPWORDS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    return best if hits[best] >= max(2, 0.05 * len(found)) else ""


_DEFAULT_LANGUAGE = {
    "Grek": "ell",
    "Arab": "ara",
    "Deva": "hin",
    "Hebr": "heb",
    "Thai": "tha",
    "Geor": "kat",
    "Armn": "hye",
    "Hang": "kor",
    "Jpan": "jpn",
    "Hani": "chi",
}


def language_script(code: str) -> str:
    """ISO 15924 script of a Tesseract language pack name (``"rus"`` -> ``"Cyrl"``), or ""."""
    for script, packs in TESSERACT_PACKS.items():
        if code in packs:
            return script
    return ""


def tesseract_languages(info: ScriptInfo, installed: Collection[str]) -> tuple[str, ...]:
    """Installed Tesseract packs for ``info``: its language first, then its script's packs."""
    wanted = [info.language] if info.language else []
    wanted += list(TESSERACT_PACKS.get(info.script, ()))
    seen: list[str] = []
    for pack in wanted:
        if pack in installed and pack not in seen:
            seen.append(pack)
    return tuple(seen)
