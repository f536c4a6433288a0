"""Options for one OCR run: frozen, JSON-serialisable (they travel through Celery as JSON)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

ENGINE_CHOICES: tuple[str, ...] = ("auto", "rapid", "tesseract")
"""Engine names a user may choose; "fake" exists for tests and is accepted too."""


WORK_PIXELS = 6_000_000
"""Most pixels a page is read at (~2050 x 2900): larger pages are scaled down to it, and a
huge JPEG is decoded at a reduced scale that still covers it (docs/decisions/0034)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Safe upper bounds; every check happens before the expensive step it guards.

    Attributes:
        max_bytes: largest accepted file.
        max_pixels: largest page or frame, in pixels, checked from its header (a PDF
            page: from its box) before decoding or rendering. A PDF page is rendered at a
            lower dpi to fit, never below 72; one that needs less is refused.
        max_pages: most pages (PDF pages, TIFF frames) in one file, counted without rendering.
        timeout: seconds one page may take, whatever the engine (``pipeline.Deadline``):
            a subprocess engine (Tesseract) is killed when it passes; an in-process one is
            checked before and after each call, and its page refused once it ran over.
    """

    max_bytes: int = 50_000_000
    max_pixels: int = 40_000_000
    max_pages: int = 100
    timeout: float = 120.0

    def __post_init__(self) -> None:
        if min(self.max_bytes, self.max_pixels, self.max_pages) < 1 or self.timeout <= 0:
            raise ValueError(f"limits must be positive: {self}")


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """What to run and how.

    Attributes:
        engine: "auto" (Masthead picks per page), "rapid", "tesseract" or "fake".
        languages: ISO 639-3 hints such as ("eng", "deu"); empty means "detect".
        limits: see ``Limits``.
        threads: CPU threads the engine may use (1 per worker process is best on 2 cores).
        dpi: render resolution for PDF pages without a text layer.
        use_text_layer: take a PDF page's embedded text instead of running OCR on it.
        detect_orientation: find and undo 90/180/270-degree page rotation.
        extract_fields: find emails, URLs, phones, dates, amounts and key: value pairs.
    """

    engine: str = "auto"
    languages: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    threads: int = 1
    dpi: int = 300
    use_text_layer: bool = True
    detect_orientation: bool = True
    extract_fields: bool = True

    def __post_init__(self) -> None:
        if self.threads < 1 or not 36 <= self.dpi <= 1200:
            raise ValueError(f"bad options: threads={self.threads}, dpi={self.dpi}")
        if not isinstance(self.languages, tuple):
            object.__setattr__(self, "languages", tuple(self.languages))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (nested ``limits``; ``languages`` as a list)."""
        data = dataclasses.asdict(self)
        data["languages"] = list(self.languages)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OcrOptions:
        """Inverse of ``to_dict``; unknown keys raise ``TypeError`` (no silent typos)."""
        values = dict(data)
        values["limits"] = Limits(**values.get("limits", {}))
        values["languages"] = tuple(values.get("languages", ()))
        return cls(**values)

    def replace(self, **changes: Any) -> OcrOptions:
        """A copy with some fields changed (options are frozen)."""
        return dataclasses.replace(self, **changes)


DEFAULT_OPTIONS = OcrOptions()
