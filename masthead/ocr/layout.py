"""Words -> lines -> blocks in the order a person reads them.

Contract: ``arrange(words, size)`` returns blocks in reading order and every input word
appears in exactly one line of exactly one block, except that a run of touching
one-character words (an engine splitting a CJK line, or a Latin one it took for CJK, into
glyphs) becomes one word, so that ``14/01/2018`` is not read as ``1 4 / 0 1 / 2 0 1 8``.
It looks only at word boxes, never at pixels, so it works the same for every engine and
for a PDF text layer.

Method (docs/decisions/0031-layout-reading-order.md):

1. *Deskew.* The median slope between neighbouring words of a line gives the page skew;
   word centres are rotated back so that lines are horizontal before any grouping.
2. *Segments.* Words that overlap vertically and sit closer than about one text height
   are chained left to right into line segments. A column gutter or a gap between table
   cells is wider than that, so a segment never crosses one.
3. *Regions.* Horizontal bands (runs of segments separated by vertical whitespace) are
   merged top to bottom while they share a vertical gutter in their x-projection; a line
   that crosses the gutter (a title, a full-width paragraph) starts a new region.
4. *Columns or table.* A region with gutters is either prose in columns (long, well
   filled segments: read column by column, recursively), a table (at least three columns
   whose cells line up, filled together on at least three rows: read row by row, emitted
   as a table block with cells) or neither (read as rows).
5. *Evidence* (ADR 0043). A page with no prose columns and no table anywhere (a receipt,
   a screenshot, a letter) is read as plain visual rows: each segment joins the row whose
   line passes nearest its centre, rows top to bottom, each left to right.
6. *Blocks.* Within a run of lines, a larger vertical gap, a change of text height or a
   first-line indent starts a new block; clearly taller lines become headings.
"""

from __future__ import annotations

import bisect
import itertools
import math
import statistics
from collections.abc import Sequence
from typing import Literal

from masthead.ocr import _blocks
from masthead.ocr._geometry import Gutter, Seg, column_of, gutters, median_height, split_at
from masthead.ocr.document import BBox, Block, Word

CHAIN_GAP = 1.0
"""Largest gap between two words of one segment, in text heights."""

MIN_GUTTER = 0.6
"""Narrowest vertical whitespace that separates columns or cells, in text heights."""

GLYPH_GAP = 0.12
"""Largest gap between one-character words that belong to one word, in text heights."""

GLYPH_RUN = 3
"""Shortest run of touching one-character words that is joined."""

PROSE_WORDS = 3.0
"""A column whose segments hold fewer words than this (median) is a table column."""

PROSE_LINE_WORDS = 4
"""Fewest words the median line of a prose column holds; the halves of a receipt hold 1-3."""

PROSE_FILL = 0.55
"""Share of the column width that most (three in four) prose lines fill."""

LOCAL_LINES = 5.0
"""How far above and below a word (in text heights) its line slope is measured."""

LOCAL_SLOPE = 0.02
"""A local slope closer than this to the page's (about 1.1 degrees) is the page's."""

PROSE_DENSITY = 0.8
"""Share of the rows a prose column spans that hold one of its lines."""

ROW_TOLERANCE = 0.5
"""Largest distance between a segment's centre and its row's line, in text heights."""

ROW_LOOKBACK = 4
"""How many of the latest rows a segment may join (rows are met top to bottom)."""

TALL = 1.6
"""A segment this many body heights tall does not set its row's line."""

TABLE_COLUMNS = 3
"""Fewest columns of a table; two (a label and its amount) read as plain rows."""

TABLE_ROWS = 3
"""Fewest rows that fill at least ``TABLE_COLUMNS`` cells of a table."""

TABLE_ALIGN = 1.0
"""How far (in text heights) a cell's edge may lie from its column's shared edge."""

Evidence = Literal["rows", "columns", "table", "columns+table"]


def arrange(words: Sequence[Word], size: tuple[int, int]) -> tuple[Block, ...]:
    """Blocks of ``words`` on a page of ``size`` (width, height) pixels, in reading order."""
    usable = join_glyphs([w for w in words if w.text.strip()])
    if not usable:
        return ()
    segments = _segments(_deskewed(usable, size))
    body = median_height(segments)
    return tuple(block for group in _read(segments) for block in _blocks.build(group, body))


def evidence(words: Sequence[Word], size: tuple[int, int]) -> Evidence:
    """What the geometry of a page shows: prose ``"columns"``, a ``"table"`` (both when
    it has both), or neither (``"rows"``: the page is read as plain visual rows)."""
    usable = join_glyphs([w for w in words if w.text.strip()])
    return _evidence(_order(_segments(_deskewed(usable, size)))) if usable else "rows"


def _read(segments: list[Seg]) -> list[_blocks.Group]:
    """Groups in reading order: by the layout where the page shows columns or a table,
    else the whole page as visual rows (a narrow receipt, a screenshot, a letter)."""
    groups = _order(segments)
    if _evidence(groups) == "rows":
        return [_blocks.Group(rows=_rows(segments))]
    return groups


def _evidence(groups: list[_blocks.Group]) -> Evidence:
    columns = any(g.columns for g in groups)
    table = any(g.table is not None for g in groups)
    if columns and table:
        return "columns+table"
    return "columns" if columns else "table" if table else "rows"


def visual_rows(words: Sequence[Word], size: tuple[int, int]) -> list[list[Word]]:
    """``words`` as plain visual rows, top to bottom, each left to right (lines deskewed)."""
    usable = join_glyphs([w for w in words if w.text.strip()])
    if not usable:
        return []
    rows = _rows(_segments(_deskewed(usable, size)))
    return [[w for seg in row for w in seg.words] for row in rows]


def join_glyphs(words: Sequence[Word]) -> list[Word]:
    """Merge runs of 3+ touching one-character words on one line into single words."""
    singles = sorted((w for w in words if len(w.text) == 1), key=lambda w: w.bbox.x0)
    after: dict[int, int] = {}
    taken: set[int] = set()
    for i, word in enumerate(singles):
        for j in range(i + 1, len(singles)):
            if singles[j].bbox.x0 > word.bbox.x1 + GLYPH_GAP * word.bbox.height:
                break
            if j not in taken and _touching(word, singles[j]):
                after[i] = j
                taken.add(j)
                break
    starts = set(after) - taken
    merged: list[Word] = []
    joined: set[int] = set()
    for start in sorted(starts):
        run = [start]
        while run[-1] in after:
            run.append(after[run[-1]])
        if len(run) >= GLYPH_RUN:
            merged.append(_merged([singles[k] for k in run]))
            joined.update(run)
    gone = {id(singles[k]) for k in joined}
    return [w for w in words if id(w) not in gone] + merged


def _touching(left: Word, right: Word) -> bool:
    height = max(left.bbox.height, right.bbox.height)
    overlap = min(left.bbox.y1, right.bbox.y1) - max(left.bbox.y0, right.bbox.y0)
    gap = right.bbox.x0 - left.bbox.x1
    return overlap > 0.6 * height and -0.3 * height <= gap <= GLYPH_GAP * height


def _merged(run: list[Word]) -> Word:
    return Word(
        "".join(w.text for w in run),
        BBox.enclosing(w.bbox for w in run),
        min(w.confidence for w in run),
    )


def skew_angle(words: Sequence[Word]) -> float:
    """Page skew in radians (positive when lines fall to the right), from word neighbours."""
    items = sorted(words, key=lambda w: w.bbox.x0)
    slopes: list[float] = []
    for i, word in enumerate(items):
        right = _right_neighbour(word, items[i + 1 : i + 40])
        if right is not None:
            (ax, ay), (bx, by) = word.bbox.center, right.bbox.center
            if bx - ax > word.bbox.height:
                slopes.append((by - ay) / (bx - ax))
    if len(slopes) < 3:
        return 0.0
    return math.atan(statistics.median(slopes))


def _deskewed(words: Sequence[Word], size: tuple[int, int]) -> list[Seg]:
    """One-word segments with lines made horizontal, by the page's skew and, where it
    differs, by the skew around each word.

    A photographed receipt curls: its header may slope by 3 degrees while the rest lies
    flat, so one page-wide angle leaves the header's lines overlapping each other (their
    axis-aligned boxes are taller than the line pitch) and they were read as one line.
    Each word is turned by the page's skew (``skew_angle``); where the median slope of the
    neighbour pairs within ``LOCAL_LINES`` text heights differs from the page's by more
    than ``LOCAL_SLOPE``, its height is also corrected by that difference, pivoting on the
    page's vertical centre line so that nearby words keep their relative heights.
    """
    pairs = _neighbour_slopes(words)
    page_slope = statistics.median(s for _, s in pairs) if len(pairs) >= 3 else 0.0
    angle = math.atan(page_slope)
    placed = [_place(w, angle) for w in words]
    if len(pairs) < 3:
        return placed
    heights = sorted(w.bbox.height for w in words)
    reach = LOCAL_LINES * heights[len(heights) // 2]
    pairs.sort()
    ys = [y for y, _ in pairs]
    centre = statistics.median(seg.cx for seg in placed)
    out: list[Seg] = []
    for word, seg in zip(words, placed, strict=True):
        cy = word.bbox.center[1]
        lo, hi = bisect.bisect_left(ys, cy - reach), bisect.bisect_right(ys, cy + reach)
        near = [slope for _, slope in pairs[lo:hi]]
        extra = statistics.median(near) - page_slope if len(near) >= 3 else 0.0
        if abs(extra) < LOCAL_SLOPE:
            out.append(seg)
            continue
        y = seg.cy - (seg.cx - centre) * extra
        true_h = max(
            word.bbox.height - word.bbox.width * abs(page_slope + extra),
            0.4 * word.bbox.height,
            1.0,
        )
        out.append(Seg(seg.words, seg.x0, y - true_h / 2, seg.x1, y + true_h / 2))
    return out


def _neighbour_slopes(words: Sequence[Word]) -> list[tuple[float, float]]:
    """(y, slope) of each word and its right neighbour on the same line."""
    items = sorted(words, key=lambda w: w.bbox.x0)
    found: list[tuple[float, float]] = []
    for i, word in enumerate(items):
        right = _right_neighbour(word, items[i + 1 : i + 40])
        if right is not None:
            (ax, ay), (bx, by) = word.bbox.center, right.bbox.center
            if bx - ax > word.bbox.height:
                found.append(((ay + by) / 2, (by - ay) / (bx - ax)))
    return found


def _right_neighbour(word: Word, candidates: Sequence[Word]) -> Word | None:
    height = word.bbox.height
    best: Word | None = None
    for other in candidates:
        gap = other.bbox.x0 - word.bbox.x1
        overlap = min(word.bbox.y1, other.bbox.y1) - max(word.bbox.y0, other.bbox.y0)
        near = -0.3 * height <= gap <= 1.5 * height
        level = overlap > 0.5 * min(height, other.bbox.height)
        if near and level and (best is None or other.bbox.x0 < best.bbox.x0):
            best = other
    return best


def _place(word: Word, angle: float) -> Seg:
    """A one-word segment in deskewed coordinates (rotated back by ``angle``)."""
    cx, cy = word.bbox.center
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = cx * cos + cy * sin, cy * cos - cx * sin
    width, height = word.bbox.width, word.bbox.height
    true_h = max(height - width * abs(math.tan(angle)), 0.4 * height, 1.0)
    true_w = max(width - height * abs(math.tan(angle)), 0.4 * width, 1.0)
    return Seg((word,), x - true_w / 2, y - true_h / 2, x + true_w / 2, y + true_h / 2)


def _segments(items: list[Seg]) -> list[Seg]:
    """Chain one-word segments left to right into line segments."""
    open_chains: list[Seg] = []
    done: list[Seg] = []
    for item in sorted(items, key=lambda s: s.x0):
        best, best_overlap = None, 0.5
        for k, chain in enumerate(open_chains):
            last = chain.last
            height = min(last.height, item.height)
            gap = item.x0 - last.x1
            if -0.5 * height <= gap <= CHAIN_GAP * height:
                overlap = last.v_overlap(item) / min(last.height, item.height)
                if overlap > best_overlap:
                    best, best_overlap = k, overlap
        if best is None:
            open_chains.append(item)
        else:
            open_chains[best] = open_chains[best].joined(item)
        if len(open_chains) > 64:
            done.extend(c for c in open_chains if c.x1 < item.x0 - 4 * item.height)
            open_chains = [c for c in open_chains if c.x1 >= item.x0 - 4 * item.height]
    return done + open_chains


def _order(segs: list[Seg]) -> list[_blocks.Group]:
    """Reading order of ``segs``: a list of text runs and tables."""
    if not segs:
        return []
    height = median_height(segs)
    regions: list[list[Seg]] = []
    for band in _bands(segs, height):
        if regions and _joins(regions[-1], band, height):
            regions[-1].extend(band)
        else:
            regions.append(list(band))
    groups: list[_blocks.Group] = []
    for region in regions:
        groups.extend(_read_region(region, height))
    return groups


def _bands(segs: list[Seg], height: float) -> list[list[Seg]]:
    """Runs of segments separated by horizontal whitespace, top to bottom."""
    bands: list[list[Seg]] = []
    bottom = -math.inf
    for seg in sorted(segs, key=lambda s: s.y0):
        slack = 0.3 * min(seg.height, height)
        if bands and seg.y0 < bottom - slack:
            bands[-1].append(seg)
            bottom = max(bottom, seg.y1)
        else:
            bands.append([seg])
            bottom = seg.y1
    return bands


def _joins(region: list[Seg], band: list[Seg], height: float) -> bool:
    """Whether ``band`` continues ``region`` (same column structure) or starts a new one."""
    own, theirs = _gutters(region, height), _gutters(band, height)
    if not own and not theirs:
        return _cols_compatible(region, band, height)
    shared = _gutters(region + band, height)
    if not shared:
        return False
    if not own and theirs:
        return _aligned_with_column(region, band, theirs, height)
    return True


def _gutters(segs: list[Seg], height: float) -> list[Gutter]:
    return gutters(segs, MIN_GUTTER * height, MIN_GUTTER)


def _cols_compatible(region: list[Seg], band: list[Seg], height: float) -> bool:
    """Two single-column pieces join unless they sit side by side without overlap."""
    r0, r1 = min(s.x0 for s in region), max(s.x1 for s in region)
    b0, b1 = min(s.x0 for s in band), max(s.x1 for s in band)
    return min(r1, b1) - max(r0, b0) > -MIN_GUTTER * height


def _aligned_with_column(
    region: list[Seg], band: list[Seg], band_gutters: list[Gutter], height: float
) -> bool:
    """A one-column start joins a multi-column band only if it fits in one of its columns.

    This keeps a centred subtitle above three columns out of the middle column, while the
    first lines of a column that starts higher than its neighbour still join.
    """
    edges = [min(s.x0 for s in band)] + [g.x1 for g in band_gutters]
    for seg in region:
        if any(seg.x0 < g.x0 and seg.x1 > g.x1 for g in band_gutters):
            return False
        if not any(abs(seg.x0 - edge) < 1.5 * height for edge in edges):
            return False
    return True


def _read_region(region: list[Seg], height: float) -> list[_blocks.Group]:
    found = _gutters(region, height)
    if not found:
        return [_blocks.Group(rows=_rows(region))]
    columns = _split_columns(region, found)
    if _is_prose(columns, found, region):
        out: list[_blocks.Group] = []
        for column in columns:
            out.extend(_order(column))
        for group in out:
            group.columns = True
        return out
    bounds = columns_bounds(found, region)
    rows = _rows([piece for seg in region for piece in split_at(seg, found)])
    if _is_table(rows, bounds, height):
        return [_blocks.Group(rows=rows, table=bounds)]
    return [_blocks.Group(rows=_rows(region))]


def _is_table(rows: list[list[Seg]], bounds: list[tuple[float, float]], height: float) -> bool:
    """A grid with the evidence of a table: at least ``TABLE_COLUMNS`` columns filled
    together on at least ``TABLE_ROWS`` rows, and as many columns whose cells share an
    edge (one column may mix two whose gutter was bridged, e.g. "1 Limited").

    A receipt's label and amount, or a line whose words happen to leave a gap on every
    row, show two columns or cells that line up with nothing; both read as plain rows.
    """
    if len(bounds) < TABLE_COLUMNS:
        return False
    cells: list[list[Seg]] = [[] for _ in bounds]
    full = 0
    for row in rows:
        slots = {_slot(seg, bounds) for seg in row}
        for seg in row:
            cells[_slot(seg, bounds)].append(seg)
        full += len(slots) >= TABLE_COLUMNS
    if full < TABLE_ROWS:
        return False
    return sum(_aligned(column, height) for column in cells if column) >= TABLE_COLUMNS


def _slot(seg: Seg, bounds: list[tuple[float, float]]) -> int:
    return next((k for k, (_, x1) in enumerate(bounds) if seg.cx <= x1), len(bounds) - 1)


def _aligned(cells: list[Seg], height: float) -> bool:
    """Whether most of a column's cells share its left edge, right edge or centre."""
    for values in ([s.x0 for s in cells], [s.x1 for s in cells], [s.cx for s in cells]):
        middle = statistics.median(values)
        if sum(abs(v - middle) <= TABLE_ALIGN * height for v in values) >= 0.6 * len(values):
            return True
    return False


def _split_columns(region: list[Seg], found: list[Gutter]) -> list[list[Seg]]:
    columns: list[list[Seg]] = [[] for _ in range(len(found) + 1)]
    for seg in region:
        for piece in split_at(seg, found):
            columns[column_of(piece, found)].append(piece)
    return [c for c in columns if c]


def _is_prose(columns: list[list[Seg]], found: list[Gutter], region: list[Seg]) -> bool:
    """Columns of running text, as opposed to a grid of short cells read row by row.

    Prose columns hold most of their words in long lines that fill the column, and each
    has a line on nearly every row it spans; a grid's cells are a word or two wide, and a
    receipt's amounts sit on only some rows. Shares (not medians) keep a few broken lines
    from turning a column of prose into a table. The median line of running text holds
    several words (``PROSE_LINE_WORDS``): a receipt printed in two halves side by side
    ("Cashier : 01" beside "Table : 12") has short lines that fill their narrow halves,
    and read column by column its label and value rows come apart.
    """
    if len(columns) < 2:
        return True
    pitch = _pitch(columns)
    for column, (x0, x1) in zip(columns, columns_bounds(found, region), strict=False):
        total = sum(len(s.words) for s in column)
        in_long = sum(len(s.words) for s in column if len(s.words) >= PROSE_WORDS)
        filled = sorted((s.x1 - s.x0) / max(x1 - x0, 1.0) for s in column)
        centres = [s.cy for s in column]
        density = len(column) / ((max(centres) - min(centres)) / pitch + 1)
        if len(column) < 3 or in_long < 0.6 * total or density < PROSE_DENSITY:
            return False
        if statistics.median(len(s.words) for s in column) < PROSE_LINE_WORDS:
            return False
        if filled[len(filled) * 3 // 4] < PROSE_FILL:
            return False
    return True


def _pitch(columns: list[list[Seg]]) -> float:
    """Typical distance between consecutive lines of a column (the line pitch)."""
    steps: list[float] = []
    for column in columns:
        centres = sorted(s.cy for s in column)
        steps += [b - a for a, b in itertools.pairwise(centres) if b - a > 1]
    return statistics.median(steps) if steps else 1.0


def columns_bounds(found: list[Gutter], region: list[Seg]) -> list[tuple[float, float]]:
    """The x-extent of each column between the gutters ``found`` in ``region``."""
    left, right = min(s.x0 for s in region), max(s.x1 for s in region)
    edges = [left] + [e for g in found for e in (g.x0, g.x1)] + [right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _rows(segs: list[Seg]) -> list[list[Seg]]:
    """Visual rows, top to bottom, each left to right.

    A segment joins the row whose centre line, taken at the row's segment nearest to it
    across the page, lies within half a text height of its own centre. Measuring at the
    nearest segment (not the row's average) follows a line that still bends after
    deskewing. A segment much taller than the body text (a logo, a stamp) joins the row
    nearest its middle within half its own height, but never sets a row's line, so it
    cannot bridge two printed lines it overlaps.
    """
    if not segs:
        return []
    body = median_height(segs)
    rows: list[list[Seg]] = []
    for seg in sorted(segs, key=lambda s: (s.cy, s.x0)):
        best, best_gap = None, math.inf
        for row in rows[-ROW_LOOKBACK:]:
            gap = abs(seg.cy - _row_centre_near(row, seg.cx, body))
            heights = (_row_height(row, body), seg.height)
            # Text on a tall logo or stamp belongs to it; ordinary lines keep apart.
            tall = max(heights) > TALL * body
            reach = ROW_TOLERANCE * (max(heights) if tall else min(heights))
            if gap <= reach and gap < best_gap:
                best, best_gap = row, gap
        if best is None:
            rows.append([seg])
        else:
            best.append(seg)
    rows.sort(key=lambda row: statistics.median(s.cy for s in _steady(row, body)))
    return [sorted(row, key=lambda s: s.x0) for row in rows]


def _steady(row: list[Seg], body: float) -> list[Seg]:
    """The row's segments of ordinary height (all of them if none is)."""
    steady = [s for s in row if s.height <= TALL * body]
    return steady or row


def _row_centre_near(row: list[Seg], x: float, body: float) -> float:
    return min(_steady(row, body), key=lambda s: abs(s.cx - x)).cy


def _row_height(row: list[Seg], body: float) -> float:
    return statistics.median(s.height for s in _steady(row, body))
