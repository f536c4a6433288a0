"""The Tesseract adapter: TSV parsing always; the real binary under the tesseract mark."""

from __future__ import annotations

import time

import numpy as np
import psutil
import pytest
from PIL import Image

from masthead.ocr.document import BBox, Word
from masthead.ocr.engines import tesseract
from masthead.ocr.errors import EngineUnavailableError, OcrTimeoutError, UnsupportedLanguageError
from tests.ocr.drawing import text_image

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t800\t200\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t60\t62\t180\t30\t96.5\tMasthead\n"
    "5\t1\t1\t1\t1\t2\t250\t62\t90\t30\t-1\t \n"
    "5\t1\t1\t1\t1\t3\t350\t60\t120\t34\t88\ttotal:\n"
)


def test_parse_tsv_keeps_words_only() -> None:
    assert tesseract.parse_tsv(TSV) == [
        Word("Masthead", BBox(60, 62, 240, 92), 0.965),
        Word("total:", BBox(350, 60, 470, 94), 0.88),
    ]


def _word_row(word: int, left: int, width: int, text: str) -> str:
    return f"5\t1\t1\t1\t1\t{word}\t{left}\t60\t{width}\t30\t93\t{text}"


def test_a_word_box_running_over_the_next_words_ends_where_they_start() -> None:
    # Tesseract gave "chờ" a box over "chờ ở sảnh"; the layout put "ở sảnh" after the line
    tsv = "\n".join(
        [
            TSV.splitlines()[0],
            _word_row(1, 283, 62, "lòng"),
            _word_row(2, 358, 159, "chờ"),
            _word_row(3, 417, 19, "ở"),
            _word_row(4, 449, 66, "sảnh"),
        ]
    )
    boxes = [(w.text, w.bbox.x0, w.bbox.x1) for w in tesseract.parse_tsv(tsv)]
    assert boxes == [("lòng", 283, 345), ("chờ", 358, 416), ("ở", 417, 436), ("sảnh", 449, 515)]


def test_right_to_left_words_keep_their_boxes() -> None:
    # a Hebrew line's words come in reading order, each to the left of the one before
    tsv = "\n".join(
        [TSV.splitlines()[0], _word_row(1, 400, 90, "הספרייה"), _word_row(2, 300, 80, "פתוחה")]
    )
    assert [w.bbox.x1 for w in tesseract.parse_tsv(tsv)] == [490, 380]


def _row(line: int, word: int, left: int, height: int, text: str) -> str:
    return f"5\t1\t1\t1\t{line}\t{word}\t{left}\t60\t30\t{height}\t93\t{text}"


# Tesseract's TSV of one Hangul line: a piece per syllable or two, some with a box twice the
# line's height (as Tesseract 5.3 gives them), so gaps alone cannot tell the words apart.
KOREAN_TSV = "\n".join(
    [
        TSV.splitlines()[0],
        _row(1, 1, 62, 38, "도"),
        _row(1, 2, 104, 82, "서"),
        _row(1, 3, 134, 82, "관"),
        _row(1, 4, 170, 82, "은"),
        _row(1, 5, 221, 37, "매일"),
        _row(1, 6, 305, 37, "아침"),
        _row(2, 1, 62, 38, "학"),
        _row(2, 2, 99, 37, "생"),
    ]
)


def test_korean_pieces_are_joined_where_tesseracts_text_has_no_space() -> None:
    words = tesseract.parse_tsv(KOREAN_TSV, "도서관은 매일 아침\n학생\n")
    assert [w.text for w in words] == ["도서관은", "매일", "아침", "학생"]
    assert words[0].bbox == BBox(62, 60, 200, 142)


def test_pieces_fall_back_to_their_gaps_when_the_text_does_not_line_up() -> None:
    words = tesseract.parse_tsv(KOREAN_TSV, "something else")
    assert [w.text for w in words] == ["도서관은", "매일", "아침", "학생"]
    assert tesseract.parse_tsv(KOREAN_TSV) == words


def test_a_spaced_script_keeps_every_word_whatever_the_text_says() -> None:
    assert [w.text for w in tesseract.parse_tsv(TSV, "Mastheadtotal:")] == [
        "Masthead",
        "total:",
    ]


def test_one_run_gives_its_tsv_and_its_text_apart() -> None:
    tsv, text = tesseract.split_outputs(f"{KOREAN_TSV}\n도서관은 매일 아침\n\n학생\n\f")
    assert tsv == KOREAN_TSV
    assert text.split() == ["도서관은", "매일", "아침", "학생"]


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "eng"), ("DE", "deu"), ("zho", "chi_sim"), ("fra", "fra")]
)
def test_language_codes(code: str, expected: str) -> None:
    assert tesseract.tesseract_code(code) == expected


def test_missing_binary_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(EngineUnavailableError) as info:
        tesseract.TesseractEngine()
    assert "apt install tesseract-ocr" in info.value.message


@pytest.mark.tesseract
def test_reads_drawn_text() -> None:
    engine = tesseract.TesseractEngine()
    words = engine.recognise(
        text_image(["Masthead weekly digest"], size=(1000, 160)), languages=("en",)
    )
    assert [w.text for w in words] == ["Masthead", "weekly", "digest"]
    assert 50 <= words[0].bbox.x0 <= 70


@pytest.mark.tesseract
def test_unknown_language_is_refused() -> None:
    with pytest.raises(UnsupportedLanguageError) as info:
        tesseract.TesseractEngine().recognise(Image.new("L", (50, 50), 255), languages=("xyz",))
    assert info.value.code == "unsupported_language" and "eng" in info.value.message


@pytest.mark.tesseract
def test_u26_timeout_kills_the_process_and_leaves_no_orphan() -> None:
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 256, (3508, 2480), dtype=np.uint8))
    engine = tesseract.TesseractEngine(timeout=0.5)
    start = time.perf_counter()
    with pytest.raises(OcrTimeoutError) as info:
        engine.recognise(noise, languages=())
    assert info.value.code == "ocr_timeout"
    assert time.perf_counter() - start < 5
    leftovers = [
        p
        for p in psutil.process_iter(["name", "ppid"])
        if p.info["name"] == "tesseract" and p.info["ppid"] in (1, psutil.Process().pid)
    ]
    assert leftovers == []
