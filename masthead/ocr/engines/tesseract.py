"""Tesseract as a subprocess (Debian's ``tesseract-ocr``), reading its TSV output.

Each call runs ``tesseract stdin stdout ... tsv`` in its own process group with
``OMP_THREAD_LIMIT`` set, and kills the whole group when the timeout passes, so a hung
or slow recognition never leaves an orphan process behind.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import signal
import subprocess
from collections.abc import Sequence

from PIL import Image

from masthead.ocr.document import BBox, Word
from masthead.ocr.errors import (
    EngineCrashedError,
    EngineUnavailableError,
    OcrTimeoutError,
    UnsupportedLanguageError,
)

INSTALL_HINT = (
    "Install it with: apt install tesseract-ocr (add tesseract-ocr-<lang> for more languages)."
)

_ISO_639_1 = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "sv": "swe", "da": "dan", "no": "nor", "fi": "fin", "pl": "pol", "cs": "ces", "tr": "tur",
    "ru": "rus", "uk": "ukr", "el": "ell", "ar": "ara", "he": "heb", "hi": "hin", "ja": "jpn",
    "ko": "kor", "zh": "chi_sim", "th": "tha", "vi": "vie",
}  # fmt: skip
_ALIASES = {"zho": "chi_sim", "chi": "chi_sim", "ger": "deu", "fre": "fra", "dut": "nld"}


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
        argv = [self.binary, "stdin", "stdout", "-l", self._lang(languages), "--psm", "3"]
        argv += ["--dpi", "300", "tsv"]
        return parse_tsv(self._run(argv, _png(image)))

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


def parse_tsv(tsv: str) -> list[Word]:
    """Words (level 5 rows with text) from Tesseract's TSV; confidence scaled to 0-1."""
    words: list[Word] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (int(v) for v in cells[6:10])
        confidence = max(0.0, min(1.0, float(cells[10]) / 100))
        bbox = BBox(left, top, left + max(width, 0), top + max(height, 0))
        words.append(Word(cells[11].strip(), bbox, confidence))
    return words
