"""Lines of ink no word covers: found when they are text-shaped, not for dark panels."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from masthead.ocr import _unread
from masthead.ocr.document import BBox, Word
from tests.ocr.drawing import text_image


def _read(text: str, box: BBox) -> Word:
    return Word(text, box, 0.95)


def test_a_line_no_word_covers_is_found_with_a_margin() -> None:
    image = text_image(["Reading room notice", "Reading room notice"], size=(1200, 300))
    first = _read("Reading room notice", BBox(60, 60, 480, 106))
    region = _unread.unread_region(image, [first])
    assert region is not None
    assert region.y0 > first.bbox.y1 - 20 and region.y1 > 130
    assert region.x0 < 60 and region.x1 > 400


def test_a_page_read_everywhere_has_no_unread_region() -> None:
    image = text_image(["Reading room notice"], size=(1200, 200))
    assert (
        _unread.unread_region(image, [_read("Reading room notice", BBox(60, 60, 480, 106))]) is None
    )


def test_a_dark_panel_or_a_rule_is_not_text() -> None:
    image = Image.new("L", (800, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 200, 750, 380), fill=0)  # a dark panel: all ink
    draw.rectangle((50, 100, 750, 102), fill=0)  # a thin rule: too flat for print
    words = [_read("Title", BBox(50, 20, 200, 60))]
    assert _unread.unread_region(image, words) is None


def test_a_blank_page_has_nothing_unread() -> None:
    assert _unread.unread_region(Image.new("RGB", (300, 200), "white"), []) is None


def test_a_large_page_is_looked_at_reduced_and_answered_in_its_own_pixels() -> None:
    image = text_image(
        ["Reading room notice", "Reading room notice"], size=(2400, 1000), font_size=80
    )
    first = _read("Reading room notice", BBox(60, 60, 900, 160))
    region = _unread.unread_region(image, [first])
    assert region is not None
    assert 150 < region.y0 < 200 < 260 < region.y1 < 300 and region.x0 < 60 < 800 < region.x1


def test_the_height_of_print_is_measured_from_its_rows_of_ink() -> None:
    small = _unread.print_height(text_image(["Reading room notice"] * 3, font_size=16))
    large = _unread.print_height(text_image(["Reading room notice"] * 3, font_size=48))
    assert 10 <= small <= 20 and 36 <= large <= 60
    assert _unread.print_height(Image.new("RGB", (400, 200), "white")) == 0.0


def test_marks_one_blank_row_above_a_thin_line_count_with_it() -> None:
    # a Thai line at 16 px: its tone marks a row clear of letters 9 px tall, on a page
    # whose words are 23 px boxes; neither part alone is as tall as a line of print
    mask = np.zeros((40, 300), dtype=bool)
    mask[10:13, 20:280:3] = True  # the marks
    mask[14:23, 20:280:2] = True  # the letters
    assert _unread.text_rows(mask, 23.0) == [(10, 23)]
    mask[13, 20:280:2] = False
    mask[12, :] = False  # two blank rows: a mark row of its own, the line too thin
    assert _unread.text_rows(mask, 23.0) == []
