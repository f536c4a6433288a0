"""The RapidOCR adapter, run for real on drawn images (about a second each)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from masthead.ocr import engines
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines import rapid
from tests.ocr.drawing import text_image


@pytest.fixture(scope="module")
def engine() -> rapid.RapidEngine:
    found = engines.get("rapid")
    assert isinstance(found, rapid.RapidEngine)
    return found


def test_reads_drawn_text_with_word_boxes(engine: rapid.RapidEngine) -> None:
    image = text_image(["Masthead weekly digest", "Invoice total 42.50"], size=(1000, 260))
    words = engine.recognise(image, languages=())
    assert [w.text for w in words] == ["Masthead", "weekly", "digest", "Invoice", "total", "42.50"]
    first = words[0].bbox
    assert 50 <= first.x0 <= 70 and 50 <= first.y0 <= 75 and first.height < 60
    assert all(0.5 < w.confidence <= 1.0 for w in words)
    assert all(a.bbox.x1 <= b.bbox.x0 for a, b in itertools.pairwise(words[:3]))


def test_blank_image_is_no_text_not_an_error(engine: rapid.RapidEngine) -> None:
    assert engine.recognise(text_image([], size=(300, 200)), languages=()) == []


def test_detect_and_read_lines_are_stateless(engine: rapid.RapidEngine) -> None:
    image = text_image(["Orientation probe"], size=(700, 160))
    quads = sorted(engine.detect_lines(image), key=lambda q: float(q[:, 0].min()))
    assert 1 <= len(quads) <= 2 and all(q.shape == (4, 2) for q in quads)
    crops = []
    for quad in quads:
        x0, y0 = quad.min(axis=0).astype(int)
        x1, y1 = quad.max(axis=0).astype(int)
        crops.append(np.asarray(image)[y0:y1, x0:x1])
    read = engine.read_lines(crops)
    assert " ".join(text for text, _ in read).replace("  ", " ") == "Orientation probe"
    assert all(score > 0.8 for _, score in read)
    assert [w.text for w in engine.recognise(image, languages=())] == ["Orientation", "probe"]


def test_line_results_fall_back_to_proportional_split() -> None:
    words = rapid._words("Total 12.50", BBox(0, 0, 110, 20), 0.9, None)
    assert [w.text for w in words] == ["Total", "12.50"]
    mismatched = [("Tota", 0.9, [[0, 0], [40, 0], [40, 20], [0, 20]])]
    assert [w.text for w in rapid._words("Total", BBox(0, 0, 50, 20), 0.9, mismatched)] == ["Total"]


def test_detector_works_on_a_capped_copy_and_maps_boxes_back(engine: rapid.RapidEngine) -> None:
    detector = engine._ocr._load_det_model()
    big = np.full((3000, 2200, 3), 255, dtype=np.uint8)
    shrunk = detector.get_preprocess().resize(big)
    assert shrunk.shape[0] * shrunk.shape[1] <= rapid.DETECT_MAX_PIXELS * 1.05
    assert shrunk.shape[0] % 32 == 0 and shrunk.shape[1] % 32 == 0
    strip = np.full((100, 900, 3), 255, dtype=np.uint8)  # short side still brought up to 736
    assert detector.get_preprocess().resize(strip).shape[0] >= 300
    # A line drawn on a page larger than the cap is still found where it is.
    page = text_image(["Capped detection keeps boxes"], size=(2400, 1400), font_size=60)
    quads = engine.detect_lines(page)
    assert len(quads) == 1
    x0, y0 = quads[0].min(axis=0)
    assert abs(x0 - 60) < 20 and abs(y0 - 60) < 20


def test_recogniser_reads_one_line_per_call(engine: rapid.RapidEngine) -> None:
    assert engine._ocr.cfg.Rec.rec_batch_num == 1


def test_sessions_keep_no_per_shape_memory_plans(engine: rapid.RapidEngine) -> None:
    for model in (engine._ocr._load_det_model(), engine._ocr._load_rec_model()):
        options = model.session.session.get_session_options()
        assert options.enable_mem_pattern is False
        assert options.intra_op_num_threads == 1  # the rebuilt session keeps its settings


def _grey(image: object) -> np.ndarray:
    return np.asarray(image.convert("L"))  # type: ignore[attr-defined]


RECEIPT = ["Flat white 3.80", "Croissant 2.90", "Orange juice 4.20", "Banana bread 3.50"]


def test_print_height_follows_the_size_of_the_print() -> None:
    lines = RECEIPT * 3
    small = rapid.print_height(_grey(text_image(lines, size=(700, 900), font_size=20)))
    large = rapid.print_height(_grey(text_image(lines, size=(1400, 1800), font_size=40)))
    assert small is not None and large is not None
    assert 8 <= small <= 16  # DejaVu Sans 20 px: lower case 11 px, capitals 15 px
    assert 1.7 <= large / small <= 2.3


def test_print_height_is_the_small_print_of_a_page_of_mixed_sizes() -> None:
    page = text_image(RECEIPT * 2, size=(1400, 1200), font_size=44)
    small = text_image(["Thank you for visiting", "VAT number 123 456"] * 2, font_size=14)
    page.paste(small.crop((0, 0, 700, 220)), (0, 980))
    alone = rapid.print_height(_grey(text_image(RECEIPT * 2, size=(1400, 1200), font_size=44)))
    mixed = rapid.print_height(_grey(page))
    assert alone is not None and mixed is not None
    assert mixed < alone / 2  # four short lines of small print decide, not the median letter


def test_print_height_reads_light_print_on_dark_as_well() -> None:
    lines = ["Settings saved", "Dark mode is on", "Font size 18 px", "Backup every day"]
    dark = text_image(lines, size=(700, 500), font_size=30, ink="white", paper=(30, 30, 30))
    light = text_image(lines, size=(700, 500), font_size=30)
    assert rapid.print_height(_grey(dark)) == rapid.print_height(_grey(light))


def test_print_height_is_not_fooled_by_a_dark_edge_of_the_scan() -> None:
    """A scanned receipt often has a dark strip along its border: the paper is still
    the paper, and the letters the print."""
    page = text_image(RECEIPT * 2, size=(1400, 1200), font_size=44)
    edged = page.copy()
    ImageDraw.Draw(edged).rectangle((0, 0, 1399, 1199), outline=(20, 20, 20), width=6)
    assert rapid.print_height(_grey(edged)) == rapid.print_height(_grey(page))


def test_print_height_is_unknown_without_enough_letters() -> None:
    assert rapid.print_height(_grey(text_image([], size=(400, 300)))) is None
    assert rapid.print_height(_grey(text_image(["OK 42"], size=(400, 300)))) is None
    assert rapid.print_height(np.zeros((4, 400), dtype=np.uint8)) is None


def test_print_shrink_only_shrinks_large_print_and_at_most_halves() -> None:
    assert rapid.print_shrink(None) == 1.0
    assert rapid.print_shrink(rapid.DETECT_PRINT_PX) == 1.0
    assert rapid.print_shrink(4.0) == 1.0  # small print is never enlarged by this rule
    assert rapid.print_shrink(rapid.DETECT_PRINT_PX * 1.5) == pytest.approx(2 / 3)
    assert rapid.print_shrink(rapid.DETECT_PRINT_PX * 10) == rapid.DETECT_MIN_SHRINK


def test_large_print_is_detected_on_a_smaller_copy(engine: rapid.RapidEngine) -> None:
    detector = engine._ocr._load_det_model()
    lines = ["CORNER CAFE", *RECEIPT, "Total: $15.84"]
    page = text_image(lines, size=(600, 900), font_size=26, origin=(40, 40))
    bgr = np.ascontiguousarray(np.asarray(page)[:, :, ::-1])
    copy = detector.get_preprocess().resize(bgr)
    assert copy.shape[0] % 32 == 0 and copy.shape[1] % 32 == 0
    assert copy.shape[1] < 600  # RapidOCR's own rule would make it 736 wide
    assert copy.shape[1] >= 736 * rapid.DETECT_MIN_SHRINK - 32
    small = text_image(lines, size=(600, 900), font_size=10, origin=(40, 40))
    small_bgr = np.ascontiguousarray(np.asarray(small)[:, :, ::-1])
    assert detector.get_preprocess().resize(small_bgr).shape[1] == 736  # small print: as before
    words = engine.recognise(page, languages=())
    assert " ".join(w.text for w in words) == " ".join(lines)
    first = words[0].bbox
    assert abs(first.x0 - 40) < 8 and abs(first.y0 - 40) < 12  # boxes in the page's pixels


def test_detector_normalises_like_rapidocr_in_float32(engine: rapid.RapidEngine) -> None:
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    ours = engine._ocr._load_det_model().get_preprocess()
    theirs = DetPreProcess(ours.limit_side_len, ours.limit_type, ours.mean, ours.std)
    pixels = np.random.default_rng(7).integers(0, 256, (64, 96, 3), dtype=np.uint8)
    normalised = ours.normalize(pixels)
    assert normalised.dtype == np.float32
    assert np.allclose(normalised, theirs.normalize(pixels), atol=1e-6)


def test_building_the_engine_hands_back_what_the_warm_up_freed() -> None:
    """The first page must start from the same floor as later ones (ADR 0034).

    Measured without the trim: a new engine left 150-190 MB more resident, ~80 MB with it.
    """
    from masthead.ocr import _memory

    _memory.release_freed_memory()
    before = _rss_mb()
    built = engines.get.__wrapped__("rapid", threads=1)  # a new one, not the cached engine
    assert _rss_mb() - before < 135  # 150-190 without the trim
    del built


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def _drawn_line(text: str, font_path: str, size: int = 30) -> tuple[np.ndarray, list[Any]]:
    """The greyscale page of ``text`` drawn at (20, 20), and a character box for each letter
    where the recogniser would put it (RapidOCR's per-character results)."""
    face = ImageFont.truetype(font_path, size)
    image = Image.new("L", (40 + round(face.getlength(text)), 40 + size), 255)
    ImageDraw.Draw(image).text((20, 20), text, fill=0, font=face)
    parts = []
    for index, char in enumerate(text):
        if char == " ":
            continue
        x0 = 20 + face.getlength(text[:index])
        x1 = x0 + face.getlength(char)
        parts.append((char, 0.9, [[x0, 14], [x1, 14], [x1, 26 + size], [x0, 26 + size]]))
    return np.asarray(image), parts


MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.mark.skipif(not Path(MONO).is_file(), reason="DejaVu fonts are not installed")
def test_a_space_the_recogniser_dropped_is_found_in_the_ink() -> None:
    ink, parts = _drawn_line("TEL : 07-386", MONO)
    line = BBox(0, 14, ink.shape[1], 56)
    words = rapid._words("TEL:07-386", line, 0.9, parts, ink)
    assert [w.text for w in words] == ["TEL", ":", "07-386"]
    assert all(a.bbox.x1 <= b.bbox.x0 for a, b in itertools.pairwise(words))
    assert [w.text for w in rapid._words("TEL:07-386", line, 0.9, parts)] == ["TEL:07-386"]


@pytest.mark.skipif(not Path(SANS).is_file(), reason="DejaVu fonts are not installed")
@pytest.mark.parametrize("text", ["Invoice total 42.50", "TOTAL: RM 1,234.00", "Wm. Illi 11"])
def test_letters_of_one_word_stay_together(text: str) -> None:
    ink, parts = _drawn_line(text, SANS)
    words = rapid._words(text, BBox(0, 14, ink.shape[1], 56), 0.9, parts, ink)
    assert [w.text for w in words] == text.split()
    assert all(w.confidence == pytest.approx(0.9) for w in words)


def test_characters_of_unspaced_scripts_stay_words_of_their_own() -> None:
    box = [[0, 0], [10, 0], [10, 20], [0, 20]]
    parts = [(c, 0.9, [[x + 12 * i, y] for x, y in box]) for i, c in enumerate("中文ab")]
    words = rapid._words("中文ab", BBox(0, 0, 60, 20), 0.9, parts)
    assert [w.text for w in words] == ["中", "文", "ab"]


def _quad(x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def test_a_weak_short_box_on_a_row_of_print_is_admitted() -> None:
    line = _quad(100, 50, 400, 80)  # "ITEM NAME 5.00", strong
    quantity = _quad(60, 52, 75, 79)  # a lone "1" beside it, weak
    boxes = [line, quantity]
    assert rapid.admit_weak(boxes, [0.8, 0.4], 0.5) == [0, 1]
    assert rapid.admit_weak(boxes, [0.8, 0.2], 0.5) == [0]  # under WEAK_BOX_THRESH


@pytest.mark.parametrize(
    "weak",
    [
        _quad(60, 200, 75, 227),  # a mark off every row of print
        _quad(10, 52, 90, 79),  # a weak word, not a lone character
        _quad(150, 55, 165, 78),  # inside the strong line: a piece already read
        _quad(60, 30, 90, 100),  # a stamp across the row, far taller than its print
        _quad(60, 70, 75, 97),  # between two rows, on neither
    ],
)
def test_weak_boxes_off_rows_wide_or_read_already_stay_out(weak: np.ndarray) -> None:
    assert rapid.admit_weak([_quad(100, 50, 400, 80), weak], [0.8, 0.4], 0.5) == [0]


def test_detector_keeps_a_weak_lone_mark_only_on_a_row(engine: rapid.RapidEngine) -> None:
    """The detector's post-processing on a drawn probability map (text shrunk as the
    detector sees it): a line (0.9), a narrow "1" at 0.4 on its row and the same mark
    below it, off any row."""
    probability = np.zeros((1, 1, 200, 400), dtype=np.float32)
    probability[0, 0, 45:51, 100:380] = 0.9
    probability[0, 0, 41:55, 60:65] = 0.4
    probability[0, 0, 141:155, 60:65] = 0.4
    post = engine._ocr._load_det_model().postprocess_op
    boxes, scores = post(probability, (200, 400))
    spans = sorted((int(b[:, 0].min()), int(b[:, 1].min())) for b in boxes)
    assert len(spans) == 2 and spans[0][0] < 70 and all(y < 60 for _, y in spans)
    assert post.box_thresh == 0.5 and sorted(scores)[0] < 0.5


def _one_per_glyph(text: str) -> list[Word]:
    """Words as the adapter makes them: one per ideograph, Latin words whole."""
    tokens = [part for chunk in text.split() for part in _glyph_split(chunk)]
    return [Word(token, BBox(10 * i, 0, 10 * i + 9, 20), 0.8) for i, token in enumerate(tokens)]


def _glyph_split(chunk: str) -> list[str]:
    out: list[str] = []
    for char in chunk:
        if rapid._ideograph(char) or not out or rapid._ideograph(out[-1][-1]):
            out.append(char)
        else:
            out[-1] += char
    return out


@pytest.mark.parametrize(
    ("read", "kept"),
    [
        # a dot-matrix row of stars, read by the multilingual model as a few ideographs
        ("家家 *** 家家家家寒家家家家 GST Summary 冰", "*** GST Summary"),
        ("农家家家家家家家家家家家家家家家家冰家水冰家家家家家", ""),
        # writing: varied ideographs, short runs and Latin text are left alone
        ("图书馆每天早上九点开门", "图书馆每天早上九点开门"),
        ("谢谢 谢谢 Thank you", "谢谢谢谢 Thank you"),
        ("TOTAL 家家家 12.00", "TOTAL 家家家 12.00"),
    ],
)
def test_ideographs_read_into_a_printed_pattern_are_dropped(read: str, kept: str) -> None:
    words = rapid._without_pattern_glyphs(read, _one_per_glyph(read))
    assert "".join(w.text for w in words) == kept.replace(" ", "")


@pytest.mark.skipif(not Path(MONO).is_file(), reason="DejaVu fonts are not installed")
def test_spaces_are_found_in_faint_print_beside_darker_parts_of_the_page() -> None:
    """The blank is judged in the word's own ink: a threshold for the whole page (here
    set by a dark edge) would lose the faint strokes and split the words apart."""
    gray, parts = _drawn_line("TEL : 07-386 ABC", MONO)
    faint = np.where(gray < 128, 175, 245).astype(np.uint8)
    faint[:, :4] = 0  # the dark edge of a scan
    line = BBox(0, 14, faint.shape[1], 56)
    assert [w.text for w in rapid._words("TEL:07-386 ABC", line, 0.9, parts, faint)] == [
        "TEL",
        ":",
        "07-386",
        "ABC",
    ]
    light_on_dark = (255 - gray).astype(np.uint8)
    words = rapid._words("TEL:07-386 ABC", line, 0.9, parts, light_on_dark)
    assert [w.text for w in words] == ["TEL", ":", "07-386", "ABC"]


@pytest.mark.skipif(not Path(SANS).is_file(), reason="DejaVu fonts are not installed")
def test_a_space_beside_a_colon_is_found_in_proportional_print() -> None:
    """Beside a colon the blank of a space is narrower than ``SPACE_GAP`` (a colon is
    narrow in a wide cell) but wider than without one: ``COLON_GAP`` tells them apart."""
    ink, parts = _drawn_line("TEL : 03-7731", SANS)
    line = BBox(0, 14, ink.shape[1], 56)
    assert [w.text for w in rapid._words("TEL:03-7731", line, 0.9, parts, ink)] == [
        "TEL",
        ":",
        "03-7731",
    ]
    ink, parts = _drawn_line("Date:12/01", SANS)
    assert [w.text for w in rapid._words("Date:12/01", line, 0.9, parts, ink)] == ["Date:12/01"]


@pytest.mark.skipif(not Path(SANS).is_file(), reason="DejaVu fonts are not installed")
def test_a_decimal_point_is_never_a_space_however_wide_the_blank() -> None:
    """Printed "71.00" with a loose point: the blank before it is as wide as a space, but
    a number does not break there; the same blank between two digits does break."""
    face = ImageFont.truetype(SANS, 30)
    image = Image.new("L", (260, 70), 255)
    draw = ImageDraw.Draw(image)
    parts = []
    x = 20.0
    for char, extra in (("7", 0), ("1", 0), (".", 14), ("0", 0), ("0", 0)):
        x += extra
        draw.text((x, 20), char, fill=0, font=face)
        width = face.getlength(char)
        parts.append((char, 0.9, [[x, 14], [x + width, 14], [x + width, 56], [x, 56]]))
        x += width
    gray = np.asarray(image)
    line = BBox(0, 14, 260, 56)
    assert [w.text for w in rapid._words("71.00", line, 0.9, parts, gray)] == ["71.00"]
    digits = [p if p[0] != "." else ("5", *p[1:]) for p in parts]
    assert len(rapid._words("71500", line, 0.9, digits, gray)) == 2  # the blank is a space


def test_characters_far_apart_over_unread_ink_are_not_one_word() -> None:
    """The recogniser passed over ink it has no letters for (a line in a script it does
    not read): its few letters are separate words, so the ink between them stays visible
    as unread, while letters at a normal pitch stay one word."""
    gray = np.full((60, 400), 255, dtype=np.uint8)
    gray[15:45, 10:390] = 0  # ink all along the line: no blank anywhere

    def char(text: str, x: int) -> tuple[str, float, list[list[int]]]:
        return (text, 0.5, [[x - 8, 10], [x + 8, 10], [x + 8, 50], [x - 8, 50]])

    far = [char("A", 30), char("n", 50), char("u", 250), char("v", 270)]
    words = rapid._words("Anuv", BBox(0, 10, 400, 50), 0.5, far, gray)
    assert [w.text for w in words] == ["An", "uv"]
    near = [char(c, 30 + 20 * i) for i, c in enumerate("Anuv")]
    assert [w.text for w in rapid._words("Anuv", BBox(0, 10, 400, 50), 0.5, near, gray)] == ["Anuv"]
