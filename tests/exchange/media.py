"""Small images for import tests, drawn at test time."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def png(colour: tuple[int, int, int] = (30, 90, 160), size: tuple[int, int] = (64, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def ghost_media(root: Path) -> Path:
    """A Ghost ``content/images`` folder holding the fixtures' images."""
    for i, name in enumerate(
        ("2024/03/harbour.png", "2024/03/boat-1.png", "2024/03/boat-2.png", "2025/09/ferry.png")
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png((40 * i, 90, 160)))
    return root
