"""File sizes in one unit everywhere: 1 MB = 1,000,000 bytes, 1 kB = 1,000 bytes.

Settings, the command line, the OCR page and every error message read and write sizes
through these two functions, so "20MB" in a setting is the "20 MB" a reader is shown and
the 20,000,000 bytes a check enforces. Binary units are accepted when spelt as such
(``KiB``, ``MiB``, ``GiB``) and are then shown in MB like everything else.
"""

from __future__ import annotations

import re

__all__ = ["format_size", "parse_size"]

_FACTORS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*")


def parse_size(text: str) -> int:
    """``"20MB"``, ``"512 kB"``, ``"1.5GB"``, ``"40MiB"`` or a plain number of bytes.

    Raises:
        ValueError: ``text`` is not a size.
    """
    match = _SIZE.fullmatch(text.lower())
    if match is None or match.group(2) not in _FACTORS:
        raise ValueError(f"not a size such as 20MB: {text!r}")
    return int(float(match.group(1)) * _FACTORS[match.group(2)])


def format_size(size: int) -> str:
    """``20_000_000`` -> ``"20 MB"``; ``1_500_000`` -> ``"1.5 MB"``; ``512_000`` -> ``"512 kB"``."""
    for factor, unit in ((1000**3, "GB"), (1000**2, "MB"), (1000, "kB")):
        if size >= factor:
            value = size / factor
            shown = f"{value:.1f}".removesuffix(".0") if value < 100 else f"{value:.0f}"
            return f"{shown} {unit}"
    return f"{size} byte" if size == 1 else f"{size} bytes"
