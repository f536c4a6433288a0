"""Each word's neighbours on its row: where the blanks between words are.

Private to the library: ``colons``, ``glyphs`` and ``leaders`` look for marks the
recogniser or the detector left out in those blanks.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from masthead.ocr.document import Word

TOUCH = 2
"""Pixels two boxes on a row may overlap and still be one before the other."""


def on_rows(words: Sequence[Word]) -> Iterator[tuple[Word, Word | None, Word | None]]:
    """``(word, before, after)`` for every word with a height: the nearest words on its row
    to its left and to its right (None at the row's ends). Words are sorted by height once,
    so each looks only at the words level with it."""
    by_height = sorted(words, key=lambda word: word.bbox.center[1])
    middles = [word.bbox.center[1] for word in by_height]
    for word in words:
        box = word.bbox
        if box.height <= 0:
            continue
        middle = box.center[1]
        low = bisect.bisect_left(middles, middle - box.height)
        high = bisect.bisect_right(middles, middle + box.height)
        level = [o for o in by_height[low:high] if o is not word and box.same_row(o.bbox)]
        before = max(
            (o for o in level if o.bbox.x1 <= box.x0 + TOUCH), key=lambda o: o.bbox.x1, default=None
        )
        after = min(
            (o for o in level if o.bbox.x0 >= box.x1 - TOUCH), key=lambda o: o.bbox.x0, default=None
        )
        yield word, before, after
