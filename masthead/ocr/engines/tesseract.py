"""Tesseract as a subprocess (Debian's ``tesseract-ocr``), reading its TSV output.

Each call runs ``tesseract stdin stdout ... tsv`` in its own process group with
``OMP_THREAD_LIMIT`` set, and kills the whole group when the timeout passes, so a hung
or slow recognition never leaves an orphan process behind.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import io
import math
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Sequence

from PIL import Image

from masthead.ocr import _unread
from masthead.ocr.document import BBox, Word, unspaced
from masthead.ocr.errors import (
    EngineCrashedError,
    EngineUnavailableError,
    OcrTimeoutError,
    UnsupportedLanguageError,
)
from masthead.ocr.script import OSD_SCRIPTS

INSTALL_HINT = (
    "Install it with: apt install tesseract-ocr (add tesseract-ocr-<lang> for more languages)."
)

OSD_CONFIDENCE = 0.5
"""Least OSD script confidence taken as evidence (Korean pages score ~0.9, Cyrillic ~7)."""

_ISO_639_1 = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "sv": "swe", "da": "dan", "no": "nor", "fi": "fin", "pl": "pol", "cs": "ces", "tr": "tur",
    "ru": "rus", "uk": "ukr", "el": "ell", "ar": "ara", "he": "heb", "hi": "hin", "ja": "jpn",
    "ko": "kor", "zh": "chi_sim", "th": "tha", "vi": "vie",
}  # fmt: skip
_ALIASES = {"zho": "chi_sim", "chi": "chi_sim", "ger": "deu", "fre": "fra", "dut": "nld"}


SMALL_PRINT = 20
"""Rows of print shorter than this (pixels of ink, marks included) are read enlarged:
Tesseract read an Arabic line drawn at 16 px (ink rows 14 px tall) with two words as Latin
("Loy", "lg"), and the same line twice as large right (ADR 0049, update of 2026-12-07).
Print at 32 px, which it reads well, has rows of 22-35 px and is left as it is."""

PRINT_TARGET = 36
"""The row height small print is enlarged to..."""

MAX_ENLARGEMENT = 3.0
"""...at most this many times..."""

MAX_ENLARGED_PIXELS = 8_000_000
"""...and to at most this many pixels (Tesseract's time and memory grow with them)."""


def enlargement(image: Image.Image) -> float:
    """How much to enlarge ``image`` before Tesseract reads it: 1 unless its print is
    small (``SMALL_PRINT``)."""
    height = _unread.print_height(image)
    if not height or height >= SMALL_PRINT:
        return 1.0
    room = math.sqrt(MAX_ENLARGED_PIXELS / max(image.width * image.height, 1))
    factor = min(PRINT_TARGET / height, MAX_ENLARGEMENT, room)
    return factor if factor >= 1.25 else 1.0


class TesseractEngine:
    """Tesseract 4/5 via its command line; strong on clean multi-column documents."""

    name = "tesseract"

    def __init__(self, *, threads: int = 1, timeout: float = 120.0) -> None:
        binary = shutil.which("tesseract")
        if binary is None:
            raise EngineUnavailableError(self.name, INSTALL_HINT)
        self.binary, self.threads, self.timeout = binary, threads, timeout
        self.installed = installed_languages(binary)

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        """Word boxes from Tesseract's TSV for ``image``."""
        lang = self._lang(languages)
        psm = "4" if "kor" in lang.split("+") else "3"  # automatic layout loses Hangul lines
        argv = [self.binary, "stdin", "stdout", "-l", lang, "--psm", psm]
        argv += ["--dpi", "300", "tsv", "txt"]
        factor = enlargement(image)
        if factor > 1:
            size = (round(image.width * factor), round(image.height * factor))
            image = image.resize(size, Image.Resampling.LANCZOS)
        tsv, text = split_outputs(self._run(argv, _png(image)))
        words = parse_tsv(tsv, text)
        if factor > 1:
            words = [Word(w.text, w.bbox.scaled(1 / factor), w.confidence) for w in words]
        return words

    def detect_script(self, image: Image.Image) -> str:
        """ISO 15924 code of the script OSD sees in ``image`` ("" when unsure or no OSD)."""
        if "osd" not in self.installed:
            return ""
        argv = [self.binary, "stdin", "stdout", "--psm", "0", "--dpi", "300"]
        try:
            report = self._run(argv, _png(image))
        except EngineCrashedError:  # "Too few characters": no script to be seen
            return ""
        found = re.search(r"^Script: (\S+)", report, re.MULTILINE)
        confident = re.search(r"^Script confidence: ([\d.]+)", report, re.MULTILINE)
        if found is None or confident is None or float(confident.group(1)) < OSD_CONFIDENCE:
            return ""
        return OSD_SCRIPTS.get(found.group(1), "")

    def _lang(self, languages: Sequence[str]) -> str:
        wanted = [tesseract_code(code) for code in languages] or ["eng"]
        missing = [code for code in wanted if code not in self.installed]
        if missing and languages:
            available = tuple(sorted(self.installed - {"osd"}))
            raise UnsupportedLanguageError(missing[0], self.name, available)
        usable = [code for code in wanted if code in self.installed]
        return "+".join(usable or sorted(self.installed - {"osd"})[:1] or ["eng"])

    def _run(self, argv: list[str], data: bytes) -> str:
        env = {**os.environ, "OMP_THREAD_LIMIT": str(self.threads)}
        with subprocess.Popen(  # noqa: S603 (argv is built here, never from user text)
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        ) as proc:
            try:
                out, err = proc.communicate(data, timeout=self.timeout)
            except subprocess.TimeoutExpired as exc:
                _kill_group(proc)
                raise OcrTimeoutError(self.timeout) from exc
        if proc.returncode != 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            raise EngineCrashedError(self.name, detail[-1][:120] if detail else "no output")
        return out.decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process and anything it started, then reap it (no zombie, no orphan)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def tesseract_code(code: str) -> str:
    """Tesseract's name for an ISO 639-1/639-3 language code (``"en"`` -> ``"eng"``)."""
    lowered = code.strip().lower()
    return _ISO_639_1.get(lowered) or _ALIASES.get(lowered) or lowered


@functools.cache
def installed_languages(binary: str) -> frozenset[str]:
    """Language packs the binary can use (``tesseract --list-langs``), cached per process."""
    try:
        done = subprocess.run(  # noqa: S603
            [binary, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineUnavailableError("tesseract", INSTALL_HINT) from exc
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


_TSV_ROW = re.compile(r"^(level\tpage_num\t|[1-5](\t-?\d+){9}\t-?[\d.]+\t)")


def split_outputs(output: str) -> tuple[str, str]:
    """(TSV, plain text) of one run asked for both (``tsv txt``) on stdout.

    A TSV row has eleven numeric cells before its text; a line of the page's text never
    does, so each line is told apart by its shape, whatever order the renderers write in.
    """
    tsv: list[str] = []
    text: list[str] = []
    for line in output.splitlines():
        (tsv if _TSV_ROW.match(line) else text).append(line)
    return "\n".join(tsv), "\n".join(text)


def parse_tsv(tsv: str, text: str | None = None) -> list[Word]:
    """Words (level 5 rows with text) from Tesseract's TSV; confidence scaled to 0-1.

    Tesseract's TSV cuts Korean words, and lines in scripts written without spaces (Thai,
    Chinese, Japanese), into many pieces, one syllable or a few characters each. Its plain
    ``text`` of the same run puts spaces only where its words end: given, two such pieces
    of a line with no space between them there are joined back into one word. Without it
    (or if the two disagree), such pieces that touch (a gap under ``JOIN_GAP`` text
    heights) are. Pieces in other scripts are never joined.
    """
    rows: list[tuple[tuple[str, ...], Word]] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        piece = cells[11].strip().strip(_BIDI_MARKS) if len(cells) >= 12 else ""
        if cells[0] != "5" or not piece:
            continue
        left, top, width, height = (int(v) for v in cells[6:10])
        confidence = max(0.0, min(1.0, float(cells[10]) / 100))
        bbox = BBox(left, top, left + max(width, 0), top + max(height, 0))
        rows.append((tuple(cells[1:5]), Word(piece, bbox, confidence)))
    rows = _without_overshoot(rows)
    if text is not None:
        text = "".join(ch for ch in text if ch not in _BIDI_MARKS)
    glued = _glued_by_text([word.text for _, word in rows], text) if text is not None else None
    words: list[Word] = []
    for index, (line, word) in enumerate(rows):
        same_line = index > 0 and rows[index - 1][0] == line
        if not same_line or not _joinable(words[-1].text[-1]) or not _joinable(word.text[0]):
            join = False  # a spaced script's words stay apart, whatever the text says
        elif glued is not None:
            join = glued[index]
        else:
            join = _touching(words[-1], word)
        if join:
            words[-1] = _joined(words[-1], word)
        else:
            words.append(word)
    return words


_BIDI_MARKS = "\u200e\u200f"
"""Left-to-right and right-to-left marks Tesseract puts after a word whose direction is
not its line's: a note on the text's display, not a character of the page."""


def _without_overshoot(
    rows: list[tuple[tuple[str, ...], Word]],
) -> list[tuple[tuple[str, ...], Word]]:
    """Each word's box ended where the next word to its right on its line starts.

    Tesseract now and then gives a word a box that runs on over its neighbours to the
    right: "chờ" spanning "chờ ở sảnh" in a Vietnamese line (the words after it), an
    Arabic word spanning the two before it (a right-to-left line's earlier words stand to
    its right), and the layout then put the covered words out of place. So the right
    neighbour is found by position, whatever the line's direction.
    """
    starts: dict[tuple[str, ...], list[int]] = {}
    for line, word in rows:
        starts.setdefault(line, []).append(word.bbox.x0)
    for found in starts.values():
        found.sort()
    out = []
    for line, word in rows:
        box = word.bbox
        line_starts = starts[line]
        after = bisect.bisect_right(line_starts, box.x0)
        if after < len(line_starts) and line_starts[after] < box.x1 - 1:
            box = BBox(box.x0, box.y0, line_starts[after] - 1, box.y1)
            word = Word(word.text, box, word.confidence)
        out.append((line, word))
    return out


def _glued_by_text(pieces: list[str], text: str) -> list[bool] | None:
    """For each TSV piece, whether Tesseract's plain text has no space before it.

    None when the text's letters are not the pieces' letters in the same order (then the
    two cannot be lined up, and the gap rule decides).
    """
    spaced: list[bool] = []  # per non-space character of ``text``: a space (or start) before it
    gap = True
    for char in text:
        if char.isspace():
            gap = True
        else:
            spaced.append(gap)
            gap = False
    if "".join(pieces) != "".join(text.split()):
        return None
    glued: list[bool] = []
    at = 0
    for piece in pieces:
        glued.append(not spaced[at])
        at += len(piece)
    return glued


JOIN_GAP = 0.35
"""Largest gap (in text heights) between two pieces of one word in an unspaced script."""


def _touching(left: Word, right: Word) -> bool:
    # The smaller height: Tesseract gives some Hangul syllables a box twice the line's
    # height, which made every gap of the line look small enough to join.
    height = max(min(left.bbox.height, right.bbox.height), 1)
    return -0.3 * height <= right.bbox.x0 - left.bbox.x1 <= JOIN_GAP * height


def _joinable(char: str) -> bool:
    return unspaced(char) or 0xAC00 <= ord(char) <= 0xD7AF or 0x1100 <= ord(char) <= 0x11FF


def _joined(left: Word, right: Word) -> Word:
    chars = len(left.text) + len(right.text)
    confidence = (left.confidence * len(left.text) + right.confidence * len(right.text)) / chars
    return Word(left.text + right.text, BBox.enclosing((left.bbox, right.bbox)), confidence)
