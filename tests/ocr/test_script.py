"""Script and language detection from recognised text."""

from __future__ import annotations

import pytest

from masthead.ocr import script


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The quick brown fox jumps over the lazy dog", "Latn"),
        ("Съешь же ещё этих мягких французских булок", "Cyrl"),
        ("مرحبا بالعالم هذا نص عربي", "Arab"),
        ("Καλημέρα κόσμε", "Grek"),
        ("这是一个中文句子", "Hani"),
        ("これは日本語の文です", "Jpan"),
        ("안녕하세요 세계", "Hang"),
    ],
)
def test_detect_names_the_dominant_script(text: str, code: str) -> None:
    assert script.detect(text).script == code


def test_detect_ignores_digits_and_punctuation_and_reports_share() -> None:
    found = script.detect("TOTAL 12.50 -- Итого 12.50 руб.")  # noqa: RUF001
    assert found.script == "Cyrl"
    assert found.share == pytest.approx(8 / 13, abs=0.01)  # 8 Cyrillic, 5 Latin letters
    assert script.detect("12.50 / 3,603 %").script == ""


def test_detect_guesses_latin_languages_from_common_words() -> None:
    english = "This is the text of the licence and it is for you to read"
    german = "Das ist nicht der Text, und die Lizenz ist für den Leser"
    assert script.detect(english).language == "eng"
    assert script.detect(german).language == "deu"
    assert script.detect("RM 60.30 CASH").language == ""  # too few words to tell


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("O livro que comprei para a minha irmã é de uma autora do Porto", "por"),
        ("O comboio para o Porto parte da linha dois. Por favor, guarde o bilhete", "por"),
        ("La casa de la playa es para los niños y el perro", "spa"),
        ("Il libro che ho letto per la scuola è di una autrice", "ita"),
        # a Malaysian receipt's "A", "O" and "E" are sizes and grades, not Portuguese
        ("KERTAS A 4 GRED A SAIZ A 5 FAIL O RING E 2 JUMLAH RM 12.00 TUNAI TERIMA", ""),
        ("NOTEBOOK A 5 PEN O 2 GRADE A STAPLER E 12 TOTAL RM 9.50 THANK YOU", ""),
    ],
)
def test_one_letter_words_are_no_evidence_of_a_language(text: str, language: str) -> None:
    assert script.detect(text).language == language


def test_rapid_covers_latin_and_cjk_only() -> None:
    assert script.detect("plain words here").rapid_covers
    assert script.detect("中文句子").rapid_covers
    assert not script.detect("Съешь же ещё").rapid_covers


def test_tesseract_languages_keeps_installed_packs_in_preference_order() -> None:
    info = script.detect("Съешь же ещё этих мягких французских булок")
    assert script.tesseract_languages(info, {"eng", "ukr", "rus"}) == ("rus", "ukr")
    assert script.tesseract_languages(info, {"eng"}) == ()
    assert script.language_script("ara") == "Arab"
    assert script.language_script("xyz") == ""
