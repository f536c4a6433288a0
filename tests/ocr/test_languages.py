"""Languages are a checked input: unknown codes and missing packs fail before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from masthead.ocr import languages
from masthead.ocr.cli import main
from masthead.ocr.errors import (
    ExitCode,
    LanguageUnavailableError,
    LanguageUnknownError,
    TooManyLanguagesError,
)
from tests.ocr.drawing import png


def missing_language() -> str:
    """A known language no engine on this machine reads (its Tesseract pack is absent)."""
    for code in ("amh", "tir", "syr", "chr", "div", "dzo", "iku", "bod"):
        if not languages.engines_for(code):
            return code
    pytest.fail("every test language pack is installed; cannot test a missing one")


def test_codes_become_canonical_in_order_without_repeats() -> None:
    assert languages.check(["en", "ENG", "chi-sim", "de"], engine="fake") == (
        "eng",
        "chi_sim",
        "deu",
    )


def test_unknown_code_is_language_unknown() -> None:
    with pytest.raises(LanguageUnknownError) as caught:
        languages.check(["eng", "xyz"])
    assert caught.value.code == "language_unknown" and "'xyz'" in caught.value.message


def test_known_language_without_its_pack_names_the_package() -> None:
    code = missing_language()
    with pytest.raises(LanguageUnavailableError) as caught:
        languages.check([code], engine="auto")
    error = caught.value
    assert error.code == "language_unavailable"
    assert f"apt-get install tesseract-ocr-{code}" in error.message
    assert languages.name_of(code) in error.message


def test_rapid_alone_cannot_read_cyrillic_even_with_the_pack() -> None:
    assert languages.engines_for("rus", packs={"rus"}, rapid=True) == ("tesseract",)
    assert languages.engines_for("deu", packs=set(), rapid=True) == ("rapid",)
    assert languages.engines_for("chi_sim", packs={"chi_sim"}, rapid=True) == (
        "rapid",
        "tesseract",
    )


def test_fifty_codes_are_refused_as_too_many() -> None:
    codes = sorted(languages._KNOWN)[:50]
    with pytest.raises(TooManyLanguagesError) as caught:
        languages.check(codes, engine="fake")
    assert "50 languages" in caught.value.message


def test_installed_lists_names_scripts_and_engines() -> None:
    listed = languages.installed()
    assert [lang.name.casefold() for lang in listed] == sorted(
        lang.name.casefold() for lang in listed
    )
    by_code = {lang.code: lang for lang in listed}
    assert "osd" not in by_code
    assert by_code["eng"].name == "English" and by_code["eng"].script == "Latn"
    for lang in listed:
        assert lang.engines == languages.engines_for(lang.code)
        assert lang.to_dict()["name"] == lang.name


def test_tesseract_packs_come_from_the_binary() -> None:
    packs = languages.tesseract_packs()
    assert "eng" in packs, "CI installs tesseract-ocr-eng"
    assert all(languages.engines_for(code) for code in packs if code in languages._KNOWN)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.png"
    path.write_bytes(png(["Hello"]))
    return path


def test_cli_unknown_language_exits_3_before_reading(
    page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(page), "--lang", "eng+xyz", "--engine", "tesseract"]) == ExitCode.BAD_INPUT
    out, err = capsys.readouterr()
    assert out == "" and "'xyz' is not a language code" in err


def test_cli_missing_pack_exits_3_naming_the_package(
    page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = missing_language()
    assert main([str(page), "--lang", code]) == ExitCode.BAD_INPUT
    out, err = capsys.readouterr()
    assert out == "" and f"apt-get install tesseract-ocr-{code}" in err


def test_cli_fifty_codes_exit_3(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = "+".join(sorted(languages._KNOWN)[:50])
    assert main([str(page), "--lang", codes]) == ExitCode.BAD_INPUT
    assert "the limit is 8" in capsys.readouterr().err
