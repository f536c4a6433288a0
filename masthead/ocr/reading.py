"""The reading stage: orientation, recognition and fusion in the cheapest order.

Most pages are upright, so the page is read first as it is. Only when that reading
looks wrong (``orientation.suspect``: little confidence, or text running up/down the
page) is the orientation probe run, and the page read again turned upright. So an
upright page costs one reading; a turned page about two and a bit.

With engine "auto", a doubtful first reading whose lines run up the page (a page on its
side, in any script) is turned before its script is sought, when the turn reads better:
on its side, a Latin page reads to other scripts' packs as noise they are fairly sure
of, and trying them all took 15-30 s. Otherwise the page's script route
(``AutoEngine.reroute``) is read first, and a page it routes is probed for its
orientation too: a small line of Latin upside down can read to another script's pack as
a plausible line of that script (a window title read as Thai), so a turn that reads well
and at least as surely wins, and the upright page is routed again. A page in a script
the reader does not know reads as noise every way up and keeps its route; when the
probe's best turn reads as noise too, that turn is not read in full
(``TURN_READS``). No turn of the page is read twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from masthead.ocr import orientation
from masthead.ocr.document import Word, char_confidence
from masthead.ocr.engines.base import Engine

Recognise = Callable[[Engine, Image.Image, Sequence[str]], list[Word]]
Reroute = Callable[
    [Image.Image, Sequence[Word], Sequence[str]], tuple[Engine, tuple[str, ...]] | None
]


def read_page(
    image: Image.Image,
    engine: Engine,
    languages: Sequence[str],
    *,
    detect_orientation: bool,
    recognise: Recognise,
) -> tuple[int, Image.Image, list[Word]]:
    """(clockwise angle applied, the upright image, its words).

    An engine may offer ``reader(languages)`` (the engine and packs the page goes to first)
    and ``reroute(image, words, languages)`` (where the upright page is read again, or
    None): engine "auto" routes by script that way; other engines read as they are.
    """
    choose = getattr(engine, "reader", None)
    reader, wanted = choose(languages) if choose is not None else (engine, tuple(languages))
    words = recognise(reader, image, wanted)
    reroute = getattr(engine, "reroute", None)
    turns: dict[int, tuple[Image.Image, list[Word]]] = {}  # the page turned, each read once

    def read_turned(angle: int) -> tuple[Image.Image, list[Word]]:
        if angle not in turns:
            turned = orientation.rotate(image, angle)
            turns[angle] = turned, recognise(reader, turned, wanted)
        return turns[angle]

    probed: tuple[int, float] | None = None
    if detect_orientation and orientation.suspect(words) and orientation.on_end(words):
        # Lines running up the page: a page on its side, whatever its script (upright, no
        # script's lines stand on end). It is turned before a script route is sought: on
        # its side, Latin reads to other scripts' packs as noise they are fairly sure of,
        # and trying them all cost such a page 15-30 s. (Upside down, a line reads as flat
        # rows either way, and a short Hebrew line turned over reads as sure Latin: such a
        # page takes the script route first, below.)
        probed = orientation.probe(image, reader)  # the detector's lines, not these words
        angle, sure = probed
        if angle in (90, 270) and sure >= TURN_READS:
            turned, turned_words = read_turned(angle)
            if _keeps_turn(words, turned_words, None):
                return _routed(angle, turned, turned_words, reroute, languages, recognise)
    # A script the reader does not know reads as noise every way up, which the orientation
    # probe would take for a turned page, and a turned page of Latin can read as a line in
    # another script: the script route is read first, and a turn must beat it.
    route = reroute(image, words, languages) if reroute is not None else None
    routed = recognise(route[0], image, route[1]) if route is not None else None
    angle = 0
    if detect_orientation and (orientation.suspect(words) or routed is not None):
        trusted = routed if routed is not None and char_confidence(routed) >= ROUTED_TRUST else None
        # A script's pack that read the page surely found its lines lying flat: the probe
        # reuses those rows and only asks upright or upside down. Any other page (a
        # quarter turn reads as flat fragments too) has its lines detected afresh, once.
        if trusted is None and probed is not None:
            angle, sure = probed
        else:
            angle, sure = orientation.probe(image, reader, trusted or ())
        if trusted is not None and sure < TURN_READS:
            angle = 0  # the best turn reads as noise too: the script's pack read the page
        if angle:
            turned, turned_words = read_turned(angle)
            if _keeps_turn(words, turned_words, trusted):
                image, words = turned, turned_words
            else:
                angle = 0
    if angle == 0:
        return 0, image, routed if routed is not None else words
    return _routed(angle, image, words, reroute, languages, recognise)


def _routed(
    angle: int,
    image: Image.Image,
    words: list[Word],
    reroute: Reroute | None,
    languages: Sequence[str],
    recognise: Recognise,
) -> tuple[int, Image.Image, list[Word]]:
    """The upright page's words, read again where its script route sends it."""
    route = reroute(image, words, languages) if reroute is not None else None
    if route is not None:
        words = recognise(route[0], image, route[1])
    return angle, image, words


def _keeps_turn(words: list[Word], turned: list[Word], routed: list[Word] | None) -> bool:
    """Whether the page turned reads better than as it came.

    Text in a script the reader does not know reads as noise every way up, and must stay
    as it was: a turn is kept when it reads well or clearly better. When a script's pack
    also read the page as it came (``routed``), the turn must read well and at least as
    surely: a small turned Latin line can read as a plausible line of Thai, and only the
    upright reading tells them apart.
    """
    reads = not orientation.suspect(turned)
    if routed is not None:
        return reads and char_confidence(turned) >= char_confidence(routed)
    return reads or char_confidence(turned) > char_confidence(words) + TURN_GAIN


ROUTED_TRUST = 0.80
"""A script-routed reading of the page as it came, this sure, gives way only to a turned
reading that reads well and at least as surely (``_keeps_turn``)."""

TURN_READS = 0.75
"""The orientation probe's confidence in its best turn below which a page that a script's
pack read surely as it came is not read turned: that turn could not read well enough to
win (``_keeps_turn``), and reading a whole page again costs as much as the first read."""

TURN_GAIN = 0.05
"""How much more confident (character-weighted) a turned page's reading must be."""
