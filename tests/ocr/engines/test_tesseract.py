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


HEADER = TSV.splitlines()[0]


def _one_line(*words: tuple[int, int, str]) -> str:
    """Tesseract's TSV of one line: each word's (left, width, text), in Tesseract's order."""
    rows = [
        f"5\t1\t1\t1\t1\t{number}\t{left}\t60\t{width}\t30\t93\t{text}"
        for number, (left, width, text) in enumerate(words, start=1)
    ]
    return "\n".join([HEADER, *rows])


def test_a_word_box_running_over_the_next_words_ends_where_they_start() -> None:
    # Tesseract gave "chờ" a box over "chờ ở sảnh"; the layout put "ở sảnh" after the line
    tsv = _one_line((283, 62, "lòng"), (358, 159, "chờ"), (417, 19, "ở"), (449, 66, "sảnh"))
    boxes = [(w.text, w.bbox.x0, w.bbox.x1) for w in tesseract.parse_tsv(tsv)]
    assert boxes == [("lòng", 283, 345), ("chờ", 358, 416), ("ở", 417, 436), ("sảnh", 449, 515)]


def test_right_to_left_words_keep_their_boxes() -> None:
    # a Hebrew line's words come in reading order, each to the left of the one before
    tsv = _one_line((400, 90, "הספרייה"), (300, 80, "פתוחה"))
    assert [w.bbox.x1 for w in tesseract.parse_tsv(tsv)] == [490, 380]


def test_a_right_to_left_word_box_running_over_the_words_before_it_ends_at_them() -> None:
    # Tesseract gave an Arabic word at 16 px a box over the two words read before it
    # (they stand to its right); the layout then read those two first in the line
    tsv = _one_line(
        (336, 31, "يرجى"),
        (278, 53, "الاحتفاظ"),
        (226, 46, "بالتذكرة"),
        (200, 20, "حتى"),
        (162, 110, "نهاية"),
        (122, 35, "الرحلة"),
    )
    boxes = [(w.bbox.x0, w.bbox.x1) for w in tesseract.parse_tsv(tsv)]
    assert boxes == [(336, 367), (278, 331), (226, 272), (200, 220), (162, 199), (122, 157)]


def test_direction_marks_after_a_word_are_not_part_of_it() -> None:
    # Tesseract writes a right-to-left mark after a Latin word on an Arabic line
    tsv = _one_line((400, 90, "Google\u200f"), (300, 80, "\u200f"))
    assert [w.text for w in tesseract.parse_tsv(tsv, "Google\u200f \u200f")] == ["Google"]


def _row(line: int, word: int, left: int, height: int, text: str) -> str:
    return f"5\t1\t1\t1\t{line}\t{word}\t{left}\t60\t30\t{height}\t93\t{text}"


# Tesseract's TSV of one Hangul line: a piece per syllable or two, some with a box twice the
# line's height (as Tesseract 5.3 gives them), so gaps alone cannot tell the words apart.
KOREAN_TSV = "\n".join(
    [
        HEADER,
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


def test_only_small_print_is_enlarged_and_never_past_the_pixel_budget() -> None:
    small = text_image(["Masthead weekly digest"] * 3, size=(900, 200), font_size=14)
    factor = tesseract.enlargement(small)
    assert 1.25 <= factor <= tesseract.MAX_ENLARGEMENT
    assert tesseract.enlargement(text_image(["Masthead weekly digest"], font_size=40)) == 1.0
    assert tesseract.enlargement(Image.new("RGB", (900, 200), "white")) == 1.0
    huge = text_image(["Masthead weekly digest"] * 3, size=(3000, 2400), font_size=14)
    enlarged = tesseract.enlargement(huge) ** 2 * huge.width * huge.height
    assert enlarged <= tesseract.MAX_ENLARGED_PIXELS * 1.001


@pytest.mark.tesseract
def test_small_print_is_read_enlarged_with_its_boxes_on_the_page() -> None:
    image = text_image(["Masthead weekly digest"], size=(500, 60), font_size=14, origin=(40, 20))
    assert tesseract.enlargement(image) > 1
    words = tesseract.TesseractEngine().recognise(image, languages=("en",))
    assert [w.text for w in words] == ["Masthead", "weekly", "digest"]
    assert 36 <= words[0].bbox.x0 <= 44 and 16 <= words[0].bbox.y0 <= 26
    assert words[-1].bbox.x1 <= 260


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
