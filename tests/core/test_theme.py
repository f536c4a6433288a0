"""The theme's colour pairs meet WCAG 2.2 AA contrast (4.5:1) in light and dark mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).parents[2] / "masthead" / "static" / "css" / "site.css").read_text()
PAIRS = [
    ("text", "bg"), ("muted", "bg"), ("accent", "bg"), ("accent-ink", "accent"),
    ("muted", "surface"), ("accent", "accent-soft"), ("muted", "accent-soft"),
    ("muted", "surface-2"), ("text", "surface"),
]  # fmt: skip


def _palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", block))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = _palette(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = {**LIGHT, **_palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("fg", "bg"), PAIRS)
def test_colour_pairs_meet_aa(scheme: str, fg: str, bg: str) -> None:
    palette = LIGHT if scheme == "light" else DARK
    assert _ratio(palette[fg], palette[bg]) >= 4.5, (scheme, fg, bg)


def test_dark_mode_overrides_every_colour() -> None:
    assert set(_palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])) >= {
        "bg", "surface", "text", "muted", "accent", "accent-ink", "accent-soft",
    }  # fmt: skip
