"""Languages as a checked input: what a code means, what is installed, what to install.

A language is named by its Tesseract code (ISO 639-3 in most cases: ``eng``, ``deu``,
``chi_sim``); ISO 639-1 codes (``en``, ``de``) and a few old aliases are accepted and
turned into it. A language can be read here when one of the engines covers it:

- RapidOCR's bundled models read Latin-script languages, Chinese and Japanese (nothing to
  install beyond the Python package);
- Tesseract reads a language when its Debian pack ``tesseract-ocr-<pack>`` is installed
  (``tesseract --list-langs``).

``check(codes, engine=...)`` runs before any work: an unknown code raises
``LanguageUnknownError``; a known language that no usable engine here covers raises
``LanguageUnavailableError`` naming the ``apt-get install`` line that adds it.
``installed()`` lists what can be read, by human name, for the site's language picker.

Light on purpose: no NumPy, no Pillow, no engine import, so a web process can list the
languages without loading the OCR stack.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from masthead.ocr.errors import (
    LanguageUnavailableError,
    LanguageUnknownError,
    TooManyLanguagesError,
)

MAX_LANGUAGES = 8
"""Most languages one request may name (Tesseract slows down with every pack it loads)."""

# code -> (English name, ISO 15924 script). Tesseract's language codes; Debian's package is
# tesseract-ocr-<code with "_" as "-">.
_KNOWN: dict[str, tuple[str, str]] = {
    "afr": ("Afrikaans", "Latn"),
    "amh": ("Amharic", "Ethi"),
    "ara": ("Arabic", "Arab"),
    "asm": ("Assamese", "Beng"),
    "aze": ("Azerbaijani", "Latn"),
    "aze_cyrl": ("Azerbaijani (Cyrillic)", "Cyrl"),
    "bel": ("Belarusian", "Cyrl"),
    "ben": ("Bengali", "Beng"),
    "bod": ("Tibetan", "Tibt"),
    "bos": ("Bosnian", "Latn"),
    "bre": ("Breton", "Latn"),
    "bul": ("Bulgarian", "Cyrl"),
    "cat": ("Catalan", "Latn"),
    "ceb": ("Cebuano", "Latn"),
    "ces": ("Czech", "Latn"),
    "chi_sim": ("Chinese (Simplified)", "Hani"),
    "chi_tra": ("Chinese (Traditional)", "Hani"),
    "chr": ("Cherokee", "Cher"),
    "cos": ("Corsican", "Latn"),
    "cym": ("Welsh", "Latn"),
    "dan": ("Danish", "Latn"),
    "deu": ("German", "Latn"),
    "div": ("Dhivehi", "Thaa"),
    "dzo": ("Dzongkha", "Tibt"),
    "ell": ("Greek", "Grek"),
    "eng": ("English", "Latn"),
    "enm": ("Middle English", "Latn"),
    "epo": ("Esperanto", "Latn"),
    "est": ("Estonian", "Latn"),
    "eus": ("Basque", "Latn"),
    "fao": ("Faroese", "Latn"),
    "fas": ("Persian", "Arab"),
    "fil": ("Filipino", "Latn"),
    "fin": ("Finnish", "Latn"),
    "fra": ("French", "Latn"),
    "frk": ("German (Fraktur)", "Latn"),
    "fry": ("Western Frisian", "Latn"),
    "gla": ("Scottish Gaelic", "Latn"),
    "gle": ("Irish", "Latn"),
    "glg": ("Galician", "Latn"),
    "grc": ("Ancient Greek", "Grek"),
    "guj": ("Gujarati", "Gujr"),
    "hat": ("Haitian Creole", "Latn"),
    "heb": ("Hebrew", "Hebr"),
    "hin": ("Hindi", "Deva"),
    "hrv": ("Croatian", "Latn"),
    "hun": ("Hungarian", "Latn"),
    "hye": ("Armenian", "Armn"),
    "iku": ("Inuktitut", "Cans"),
    "ind": ("Indonesian", "Latn"),
    "isl": ("Icelandic", "Latn"),
    "ita": ("Italian", "Latn"),
    "jav": ("Javanese", "Latn"),
    "jpn": ("Japanese", "Jpan"),
    "kan": ("Kannada", "Knda"),
    "kat": ("Georgian", "Geor"),
    "kaz": ("Kazakh", "Cyrl"),
    "khm": ("Khmer", "Khmr"),
    "kir": ("Kyrgyz", "Cyrl"),
    "kmr": ("Kurdish (Kurmanji)", "Latn"),
    "kor": ("Korean", "Hang"),
    "lao": ("Lao", "Laoo"),
    "lat": ("Latin", "Latn"),
    "lav": ("Latvian", "Latn"),
    "lit": ("Lithuanian", "Latn"),
    "ltz": ("Luxembourgish", "Latn"),
    "mal": ("Malayalam", "Mlym"),
    "mar": ("Marathi", "Deva"),
    "mkd": ("Macedonian", "Cyrl"),
    "mlt": ("Maltese", "Latn"),
    "mon": ("Mongolian", "Cyrl"),
    "mri": ("Maori", "Latn"),
    "msa": ("Malay", "Latn"),
    "mya": ("Burmese", "Mymr"),
    "nep": ("Nepali", "Deva"),
    "nld": ("Dutch", "Latn"),
    "nor": ("Norwegian", "Latn"),
    "oci": ("Occitan", "Latn"),
    "ori": ("Odia", "Orya"),
    "pan": ("Punjabi", "Guru"),
    "pol": ("Polish", "Latn"),
    "por": ("Portuguese", "Latn"),
    "pus": ("Pashto", "Arab"),
    "que": ("Quechua", "Latn"),
    "ron": ("Romanian", "Latn"),
    "rus": ("Russian", "Cyrl"),
    "san": ("Sanskrit", "Deva"),
    "sin": ("Sinhala", "Sinh"),
    "slk": ("Slovak", "Latn"),
    "slv": ("Slovenian", "Latn"),
    "snd": ("Sindhi", "Arab"),
    "spa": ("Spanish", "Latn"),
    "sqi": ("Albanian", "Latn"),
    "srp": ("Serbian", "Cyrl"),
    "srp_latn": ("Serbian (Latin)", "Latn"),
    "sun": ("Sundanese", "Latn"),
    "swa": ("Swahili", "Latn"),
    "swe": ("Swedish", "Latn"),
    "syr": ("Syriac", "Syrc"),
    "tam": ("Tamil", "Taml"),
    "tat": ("Tatar", "Cyrl"),
    "tel": ("Telugu", "Telu"),
    "tgk": ("Tajik", "Cyrl"),
    "tha": ("Thai", "Thai"),
    "tir": ("Tigrinya", "Ethi"),
    "ton": ("Tongan", "Latn"),
    "tur": ("Turkish", "Latn"),
    "uig": ("Uyghur", "Arab"),
    "ukr": ("Ukrainian", "Cyrl"),
    "urd": ("Urdu", "Arab"),
    "uzb": ("Uzbek", "Latn"),
    "uzb_cyrl": ("Uzbek (Cyrillic)", "Cyrl"),
    "vie": ("Vietnamese", "Latn"),
    "yid": ("Yiddish", "Hebr"),
    "yor": ("Yoruba", "Latn"),
}

# ISO 639-1 and older ISO 639-2/B codes -> the code above.
_ALIASES: dict[str, str] = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "sv": "swe", "da": "dan", "no": "nor", "nb": "nor", "fi": "fin", "pl": "pol", "cs": "ces",
    "sk": "slk", "sl": "slv", "hr": "hrv", "hu": "hun", "ro": "ron", "tr": "tur", "ru": "rus",
    "uk": "ukr", "be": "bel", "bg": "bul", "sr": "srp", "mk": "mkd", "el": "ell", "ar": "ara",
    "fa": "fas", "ur": "urd", "he": "heb", "yi": "yid", "hi": "hin", "mr": "mar", "ne": "nep",
    "bn": "ben", "ta": "tam", "te": "tel", "kn": "kan", "ml": "mal", "gu": "guj", "pa": "pan",
    "th": "tha", "lo": "lao", "km": "khm", "my": "mya", "ka": "kat", "hy": "hye", "ja": "jpn",
    "ko": "kor", "zh": "chi_sim", "vi": "vie", "id": "ind", "ms": "msa", "tl": "fil",
    "et": "est", "lv": "lav", "lt": "lit", "is": "isl", "ga": "gle", "cy": "cym", "eu": "eus",
    "ca": "cat", "gl": "glg", "sq": "sqi", "af": "afr", "sw": "swa", "la": "lat", "eo": "epo",
    "zho": "chi_sim", "chi": "chi_sim", "ger": "deu", "fre": "fra", "dut": "nld", "gre": "ell",
    "cze": "ces", "slo": "slk", "rum": "ron", "per": "fas", "arm": "hye", "geo": "kat",
    "alb": "sqi", "baq": "eus", "bur": "mya", "chs": "chi_sim", "cht": "chi_tra",
    "zh_hans": "chi_sim", "zh_hant": "chi_tra", "zh_cn": "chi_sim", "zh_tw": "chi_tra",
}  # fmt: skip

RAPID_LANGUAGES: frozenset[str] = frozenset(
    {code for code, (_, script) in _KNOWN.items() if script == "Latn"}
    - {"vie", "frk", "enm", "yor"}  # stacked or under-dot marks the models do not have
    | {"chi_sim", "chi_tra", "jpn"}
)
"""Languages the bundled RapidOCR (PP-OCR) models read: basic Latin and CJK ideographs."""

_NOT_LANGUAGES = frozenset({"osd", "equ"})


@dataclass(frozen=True, slots=True)
class Language:
    """One language this server can read: ``code`` to send, ``name`` to show."""

    code: str
    name: str
    script: str
    engines: tuple[str, ...]

    @property
    def package(self) -> str:
        """The Debian package whose Tesseract pack reads this language."""
        return debian_package(self.code)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "script": self.script,
            "engines": list(self.engines),
        }


def canonical(code: str) -> str:
    """The Tesseract code for ``code`` (``"en"`` -> ``"eng"``, ``"chi-sim"`` -> ``"chi_sim"``)."""
    lowered = code.strip().lower().replace("-", "_")
    return _ALIASES.get(lowered, lowered)


def name_of(code: str) -> str:
    """Human (English) name of a language code, or the code itself when unknown."""
    entry = _KNOWN.get(canonical(code))
    return entry[0] if entry else code


def script_of_language(code: str) -> str:
    """ISO 15924 script of a language (``"rus"`` -> ``"Cyrl"``), or "" when unknown."""
    entry = _KNOWN.get(canonical(code))
    return entry[1] if entry else ""


def debian_package(code: str) -> str:
    """``tesseract-ocr-<pack>`` for a language code (``chi_sim`` -> ``tesseract-ocr-chi-sim``)."""
    return "tesseract-ocr-" + canonical(code).replace("_", "-")


def is_known(code: str) -> bool:
    return canonical(code) in _KNOWN


@functools.cache
def tesseract_packs() -> frozenset[str]:
    """Packs ``tesseract --list-langs`` reports (empty when Tesseract is not installed)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return frozenset()
    try:
        done = subprocess.run(  # noqa: S603 (fixed argv)
            [binary, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


@functools.cache
def rapid_installed() -> bool:
    """Whether the RapidOCR package can be imported here (checked without importing it)."""
    return importlib.util.find_spec("rapidocr") is not None


def engines_for(
    code: str, *, packs: Iterable[str] | None = None, rapid: bool | None = None
) -> tuple[str, ...]:
    """Engines that can read ``code`` on this machine, best first (may be empty)."""
    code = canonical(code)
    packs = tesseract_packs() if packs is None else frozenset(packs)
    rapid = rapid_installed() if rapid is None else rapid
    found: list[str] = []
    if rapid and code in RAPID_LANGUAGES:
        found.append("rapid")
    if code in packs:
        found.append("tesseract")
    return tuple(found)


def installed() -> tuple[Language, ...]:
    """Every language some engine here can read, sorted by name."""
    packs = tesseract_packs()
    rapid = rapid_installed()
    codes = {code for code in packs if "/" not in code and code not in _NOT_LANGUAGES}
    if rapid:
        codes |= RAPID_LANGUAGES
    found = []
    for code in codes:
        engines = engines_for(code, packs=packs, rapid=rapid)
        if engines:
            found.append(Language(code, name_of(code), script_of_language(code), engines))
    return tuple(sorted(found, key=lambda lang: (lang.name.casefold(), lang.code)))


def _engine_covers(engine: str, code: str) -> bool:
    if engine in ("fake", ""):
        return True
    covering = engines_for(code)
    if engine in ("auto", "default"):
        return bool(covering)
    return engine in covering


def check(codes: Sequence[str], *, engine: str = "auto") -> tuple[str, ...]:
    """The requested languages as canonical codes, in order, without repeats.

    Raises:
        TooManyLanguagesError: more than ``MAX_LANGUAGES`` codes.
        LanguageUnknownError: a code that names no language.
        LanguageUnavailableError: a known language that ``engine`` cannot read here
            (its Tesseract pack is missing, or the engine does not cover its script).
    """
    wanted: list[str] = []
    for raw in codes:
        code = canonical(raw)
        if code and code not in wanted:
            wanted.append(code)
    if len(wanted) > MAX_LANGUAGES:
        raise TooManyLanguagesError(len(wanted), MAX_LANGUAGES)
    for code in wanted:
        if code not in _KNOWN and code not in tesseract_packs():
            raise LanguageUnknownError(code)
        if not _engine_covers(engine, code):
            other = [name for name in engines_for(code) if name != engine]
            raise LanguageUnavailableError(
                code, name_of(code), debian_package(code), engine=engine, other_engines=other
            )
    return tuple(wanted)
