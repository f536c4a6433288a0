"""Pages in other scripts, read with no --lang: routed by script, in reading order.

The pages are drawn here with the Noto fonts and read by the real engines (RapidOCR and
Tesseract with the packs .ci/run installs).
"""

# ruff: noqa: RUF001 (sample text in other scripts has letters that look Latin)
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz.distance import Levenshtein

from masthead.ocr import pipeline
from masthead.ocr.cli import main
from masthead.ocr.document import join_words
from masthead.ocr.errors import ExitCode
from masthead.ocr.options import OcrOptions

NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def page(
    lines: list[tuple[str, str]], *, rtl: bool = False, size: int = 40, pitch: int = 80
) -> bytes:
    """PNG of ``(font file, text)`` lines, ``size`` px, a line every ``pitch`` px; lines not
    in Noto Sans right-aligned and shaped right to left if ``rtl``."""
    image = Image.new("RGB", (1500, 100 + pitch * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for row, (font_name, text) in enumerate(lines):
        if font_name == "cjk":
            face = ImageFont.truetype(str(CJK), size, index=2)
        else:
            face = ImageFont.truetype(str(NOTO / font_name), size)
        y = 50 + pitch * row
        if rtl and font_name != "NotoSans-Regular.ttf":
            width = draw.textlength(text, font=face, direction="rtl")
            draw.text((1440 - width, y), text, fill="black", font=face, direction="rtl")
        else:
            draw.text((60, y), text, fill="black", font=face)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_hebrew_is_found_from_pixels_and_reads_right_to_left() -> None:
    doc = pipeline.run(
        page([("NotoSansHebrew-Regular.ttf", "הספרייה פתוחה מתשע בבוקר")], rtl=True),
        OcrOptions(engine="auto"),
    )
    first = doc.pages[0]
    assert (first.script, first.language) == ("Hebr", "heb")
    assert doc.text.split() == ["הספרייה", "פתוחה", "מתשע", "בבוקר"]


def test_a_mixed_page_asked_for_in_russian_keeps_its_english_too() -> None:
    doc = pipeline.run(
        page(
            [
                ("NotoSans-Regular.ttf", "Библиотека открыта с девяти утра"),
                ("NotoSans-Regular.ttf", "Читатели могут брать домой книги"),
                ("NotoSans-Regular.ttf", "Opening hours: 9 to 20"),
            ]
        ),
        OcrOptions(engine="auto", languages=("rus",)),
    )
    assert doc.pages[0].script == "Cyrl"
    assert "Библиотека" in doc.text and "Opening" in doc.text


def test_chinese_keeps_no_spaces_between_characters() -> None:
    doc = pipeline.run(page([("cjk", "图书馆每天早上九点开门")]), OcrOptions(engine="auto"))
    assert doc.text.strip() == "图书馆每天早上九点开门"
    assert doc.pages[0].script == "Hani"


def test_korean_asked_for_goes_to_tesseract() -> None:
    face = ImageFont.truetype(str(CJK), 40, index=1)
    image = Image.new("RGB", (1200, 160), "white")
    ImageDraw.Draw(image).text(
        (60, 50), "학생들은 무료로 책을 빌릴 수 있습니다", fill="black", font=face
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    doc = pipeline.run(buffer.getvalue(), OcrOptions(engine="auto", languages=("kor",)))
    assert doc.pages[0].script == "Hang" and "학생들은" in doc.text


def test_a_script_no_pack_covers_exits_3_with_no_supported_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ethiopic = NOTO / "NotoSansEthiopic-Regular.ttf"
    if not ethiopic.is_file():
        pytest.fail("fonts-noto-core is needed to draw an Ethiopic page")
    path = tmp_path / "amharic.png"
    path.write_bytes(page([("NotoSansEthiopic-Regular.ttf", "ቤተ መጻሕፍቱ ከጠዋቱ ሦስት ሰዓት ይከፈታል")] * 3))
    status = main([str(path)])
    err = capsys.readouterr().err
    if status == ExitCode.OK:  # OSD did not name the script: at least nothing was invented
        return
    assert status == ExitCode.BAD_INPUT and "No supported script found" in err


def test_a_one_by_twenty_thousand_image_is_read_or_refused_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "thread.png"
    Image.new("RGB", (1, 20_000), "white").save(path)
    status = main([str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert status in (ExitCode.OK, ExitCode.BAD_INPUT, ExitCode.LIMIT_EXCEEDED)
    assert (status == ExitCode.OK) == bool(out) and (status != ExitCode.OK) == ("error:" in err)


def test_words_of_unspaced_scripts_join_without_spaces() -> None:
    assert join_words(["图书馆", "每天"]) == "图书馆每天"
    assert join_words(["ห้องสมุด", "เปิด"]) == "ห้องสมุดเปิด"
    assert join_words(["Tel", "图书馆", "2024"]) == "Tel 图书馆 2024"
    assert join_words(["학생들은", "무료로"]) == "학생들은 무료로"


@pytest.mark.tesseract
def test_korean_with_no_lang_keeps_its_word_spaces() -> None:
    # Tesseract cuts Hangul into syllables with boxes of two heights; its own text says
    # where the words end (the gap rule joined "도서관은매일아침").
    face = ImageFont.truetype(str(CJK), 40, index=1)
    image = Image.new("RGB", (1400, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.text((60, 50), "도서관은 매일 아침 문을 엽니다", fill="black", font=face)
    draw.text((60, 130), "열람실에서는 조용히 해 주십시오", fill="black", font=face)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    doc = pipeline.run(buffer.getvalue(), OcrOptions(engine="auto"))
    assert doc.pages[0].script == "Hang"
    expected = "도서관은 매일 아침 문을 엽니다\n열람실에서는 조용히 해 주십시오"
    assert doc.text.split() == expected.split()


@pytest.mark.tesseract
@pytest.mark.parametrize(
    ("font_name", "lines", "rtl"),
    [
        (
            "NotoSans-Regular.ttf",
            ["Читальный зал открыт до вечера", "Вход только по билетам"],
            False,
        ),
        ("NotoSansArabic-Regular.ttf", ["قاعة القراءة مفتوحة حتى المساء"], True),
        ("NotoSansHebrew-Regular.ttf", ["חדר הקריאה פתוח עד הערב"], True),
        ("cjk-kor", ["열람실은 저녁까지 문을 엽니다", "입장은 표가 있어야 합니다"], False),
        # RapidOCR reads a few Latin letters over these lines; the ink between them is
        # still unread (a word does not span ink the recogniser passed over)
        ("NotoSansThai-Regular.ttf", ["ห้องอ่านหนังสือเปิดถึงค่ำ", "เข้าได้เฉพาะผู้มีบัตร"], False),
        (
            "NotoSans-Regular.ttf",
            ["Η αίθουσα ανάγνωσης είναι ανοιχτή", "Η είσοδος μόνο με εισιτήριο"],
            False,
        ),
    ],
)
def test_a_mixed_page_with_no_lang_keeps_its_english_and_its_other_script(
    font_name: str, lines: list[str], rtl: bool
) -> None:
    # RapidOCR reads the English confidently and drops the other lines (or reads Hebrew as
    # doubtful Latin noise); the ink it left unread is read by the pack of its script, and
    # the English stays RapidOCR's.
    image = Image.new("RGB", (1500, 140 + 80 * (len(lines) + 2)), "white")
    draw = ImageDraw.Draw(image)
    english = ImageFont.truetype(str(NOTO / "NotoSans-Regular.ttf"), 40)
    if font_name == "cjk-kor":
        face = ImageFont.truetype(str(CJK), 40, index=1)
    else:
        face = ImageFont.truetype(str(NOTO / font_name), 40)
    draw.text((60, 50), "Reading room notice", fill="black", font=english)
    for row, text in enumerate(lines, start=1):
        y = 50 + 80 * row
        if rtl:
            width = draw.textlength(text, font=face, direction="rtl")
            draw.text((1440 - width, y), text, fill="black", font=face, direction="rtl")
        else:
            draw.text((60, y), text, fill="black", font=face)
    draw.text((60, 50 + 80 * (len(lines) + 1)), "Open until 8 pm", fill="black", font=english)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    doc = pipeline.run(buffer.getvalue(), OcrOptions(engine="auto"))
    got = doc.text.split()
    assert got[:3] == ["Reading", "room", "notice"] and got[-4:] == ["Open", "until", "8", "pm"]
    # the other script's lines as printed, but for a mark or two a pack reads its own way
    # (Thai's sara am as nikhahit + sara aa; a micro sign for the Greek mu under NFKC)
    other, printed = (unicodedata.normalize("NFKC", " ".join(t)) for t in (got[3:-4], lines))
    assert Levenshtein.distance(other, printed) <= 0.05 * len(printed), other


def test_a_greek_line_among_english_ones_is_read_by_the_greek_pack() -> None:
    """One line of Greek in a page of English: RapidOCR reads part of it (its letters with
    an accent go missing), so its words cover the line and the page is mostly Latin; the
    rows of those words go to the Greek pack, the English stays RapidOCR's."""
    english = ["Visitor information", "Tickets at the entrance", "Tours every hour", "No bags"]
    greek = "Η αίθουσα ανάγνωσης είναι ανοιχτή"
    image = Image.new("RGB", (1500, 560), "white")
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(NOTO / "NotoSans-Regular.ttf"), 36)
    for row, text in enumerate([*english[:2], greek, *english[2:]]):
        draw.text((60, 50 + 90 * row), text, fill="black", font=face)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    doc = pipeline.run(buffer.getvalue(), OcrOptions(engine="auto"))
    rows = [" ".join(line.split()) for line in doc.text.splitlines() if line.strip()]
    assert rows[:2] == english[:2] and rows[-2:] == english[2:]
    read = unicodedata.normalize("NFKC", " ".join(rows[2:-2]))
    assert Levenshtein.distance(read, greek) <= 0.05 * len(greek), read


LATIN = "NotoSans-Regular.ttf"


@pytest.mark.parametrize(
    ("lines", "vietnamese"),
    [
        # at this size RapidOCR drops the stacked letters and keeps only a đ and an ư
        (
            [
                "Nhà ga có phòng chờ và quầy bán đồ ăn.",
                "Chuyến xe cuối cùng khởi hành lúc mười giờ tối.",
            ],
            True,
        ),
        # Croatian writes đ too, and keeps its own reading
        (
            [
                "Đurđevac je grad u sjevernoj Hrvatskoj, između Drave i Bilogore.",
                "Međunarodni festival održava se svake godine u lipnju.",
            ],
            False,
        ),
    ],
)
def test_a_vietnamese_hint_is_read_by_the_vietnamese_pack_only_when_it_confirms_it(
    lines: list[str], vietnamese: bool
) -> None:
    doc = pipeline.run(
        page([(LATIN, t) for t in lines], size=32, pitch=57), OcrOptions(engine="auto")
    )
    assert (doc.pages[0].language == "vie") is vietnamese
    assert Levenshtein.distance(doc.text.replace("\n", " "), " ".join(lines)) <= 2, doc.text


def test_a_line_read_as_noise_beside_an_unread_one_goes_to_the_same_pack() -> None:
    """At 32 px RapidOCR drops the first Hebrew line (its ink is unread) and reads the
    second as confident Latin noise ("D' D90 7107"); the noise row next to the unread one
    is read by the same pack and kept, as its reading is Hebrew."""
    other = ["הספרייה פתוחה מתשע בבוקר", "סטודנטים יכולים לשאול ספרים"]
    english = ["Library opening hours", "Questions? Call 555 0199 or ask at the desk."]
    hebrew = [("NotoSansHebrew-Regular.ttf", text) for text in other]
    drawn = page([(LATIN, english[0]), *hebrew, (LATIN, english[1])], rtl=True, size=32, pitch=57)
    doc = pipeline.run(drawn, OcrOptions(engine="auto"))
    rows = [" ".join(line.split()) for line in doc.text.splitlines() if line.strip()]
    assert rows[0] == english[0] and rows[-1] == english[1]
    read = unicodedata.normalize("NFKC", " ".join(rows[1:-1]))
    printed = unicodedata.normalize("NFKC", " ".join(other))
    assert Levenshtein.distance(read, printed) <= 0.05 * len(printed), read


@pytest.mark.parametrize(
    ("font_file", "size"),
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 10),
        ("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", 11),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 11),
    ],
)
def test_a_small_latin_title_upside_down_is_turned_not_read_as_thai(
    font_file: str, size: int
) -> None:
    """A window title upside down reads to the Thai pack as a plausible line of Thai; the
    turned page reads well in Latin and wins (these three read as Thai before)."""
    image = Image.new("RGB", (189, 37), (242, 241, 240))
    face = ImageFont.truetype(font_file, size)
    ImageDraw.Draw(image).text((40, 12), "*Untitled Document 1", fill=(46, 52, 54), font=face)
    buffer = io.BytesIO()
    image.rotate(180, expand=True).save(buffer, format="PNG")
    document = pipeline.run(buffer.getvalue(), OcrOptions())
    assert document.text.strip() == "*Untitled Document 1"
    assert (document.pages[0].angle, document.pages[0].script) == (180, "Latn")


def _drawn_as(lines: list[str], font_file: str, size: int, *, photo: bool = False) -> bytes:
    """A 1600 px wide page of right-aligned (right-to-left) or left-aligned lines; as a
    photo: on grey paper, slightly blurred, saved as a JPEG at quality 70."""
    face = ImageFont.truetype(font_file, size)
    rtl = any(0x0590 <= ord(ch) <= 0x06FF for ch in "".join(lines))
    image = Image.new(
        "RGB", (1600, 120 + int(size * 1.8) * len(lines)), (228, 224, 214) if photo else "white"
    )
    draw = ImageDraw.Draw(image)
    for row, text in enumerate(lines):
        y = 60 + int(size * 1.8) * row
        if rtl:
            width = draw.textlength(text, font=face, direction="rtl")
            draw.text((1540 - width, y), text, fill="black", font=face, direction="rtl")
        else:
            draw.text((60, y), text, fill="black", font=face)
    buffer = io.BytesIO()
    if photo:
        image.filter(ImageFilter.GaussianBlur(0.8)).save(buffer, format="JPEG", quality=70)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.tesseract
@pytest.mark.parametrize(
    ("lines", "font_file", "size", "photo"),
    [
        # Tesseract read two words of the second line as Latin ("Loy", "lg") and gave a
        # third a box over the two before it, which the layout then read first
        (
            [
                "يغادر القطار إلى القاهرة من الرصيف الثالث",
                "يرجى الاحتفاظ بالتذكرة حتى نهاية الرحلة",
            ],
            NOTO / "NotoSansArabic-Regular.ttf",
            16,
            False,
        ),
        # read as "NR?" with English loaded, beside the Hebrew pack's own reading
        (
            ["הרכבת לירושלים יוצאת מרציף מספר שלוש", "נא לשמור את הכרטיס עד סוף הנסיעה"],
            NOTO / "NotoSerifHebrew-Regular.ttf",
            32,
            False,
        ),
        # the first line's first half was lost
        (
            ["รถไฟไปเชียงใหม่ออกจากชานชาลาที่สาม", "กรุณาเก็บตั๋วไว้จนถึงปลายทาง"],
            NOTO / "NotoSansThai-Regular.ttf",
            20,
            True,
        ),
    ],
    ids=["arabic-16px", "hebrew-serif", "thai-20px-photo"],
)
def test_small_serif_and_photographed_print_in_other_scripts_reads_in_order(
    lines: list[str], font_file: Path, size: int, photo: bool
) -> None:
    doc = pipeline.run(_drawn_as(lines, str(font_file), size, photo=photo), OcrOptions())
    read = " ".join(unicodedata.normalize("NFKC", doc.text).split())
    printed = " ".join(unicodedata.normalize("NFKC", "\n".join(lines)).split())
    assert Levenshtein.distance(read, printed) <= 0.05 * len(printed), read


@pytest.mark.tesseract
def test_a_photographed_english_and_thai_page_at_20_px_keeps_its_thai() -> None:
    # RapidOCR reads nothing of the Thai rows and OSD calls them Latin; the Thai pack reads
    # them better than the English pack does, so they are not left out
    latin, thai = NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSansThai-Regular.ttf"
    lines = [
        (latin, "Station notice for travellers"),
        (thai, "รถไฟไปเชียงใหม่ออกจากชานชาลาที่สาม"),
        (thai, "กรุณาเก็บตั๋วไว้จนถึงปลายทาง"),
        (latin, "Trains run every 20 minutes today."),
    ]
    image = Image.new("RGB", (1600, 120 + 36 * len(lines)), (228, 224, 214))
    draw = ImageDraw.Draw(image)
    for row, (font_file, text) in enumerate(lines):
        draw.text((60, 60 + 36 * row), text, fill="black", font=ImageFont.truetype(font_file, 20))
    buffer = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(0.8)).save(buffer, format="JPEG", quality=70)
    doc = pipeline.run(buffer.getvalue(), OcrOptions())
    rows = [" ".join(row.split()) for row in doc.text.splitlines() if row.strip()]
    assert rows[0] == lines[0][1] and rows[-1] == lines[-1][1]
    read = unicodedata.normalize("NFKC", "".join(rows[1:-1]).replace(" ", ""))
    printed = unicodedata.normalize("NFKC", lines[1][1] + lines[2][1])
    assert Levenshtein.distance(read, printed) <= 0.05 * len(printed), read
