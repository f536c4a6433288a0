"""Abstract hero images drawn with Pillow, so the demo needs no downloads.

Each image is a soft four-corner gradient with translucent circles, rings and bars laid out
by a seeded random generator: the same seed always gives the same picture.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (800, 450)  # drawn small, then scaled up: the shapes are soft anyway
OUTPUT = (1600, 900)
Palette = tuple[str, str, str, str]


def _gradient(palette: Palette) -> Image.Image:
    corners = Image.new("RGB", (2, 2))
    corners.putdata([_rgb(c) for c in palette])
    return corners.resize(SIZE, Image.Resampling.BICUBIC)


def _rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shapes(rng: random.Random, accent: tuple[int, int, int]) -> Image.Image:
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    width, height = SIZE
    for _ in range(rng.randint(3, 5)):
        radius = rng.randint(60, 210)
        x, y = rng.randint(0, width), rng.randint(0, height)
        fill = (*accent, rng.randint(40, 90))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
    for _ in range(rng.randint(2, 4)):
        radius = rng.randint(40, 150)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            outline=(255, 255, 255, rng.randint(70, 130)),
            width=rng.randint(2, 4),
        )
    return layer.filter(ImageFilter.GaussianBlur(1))


def _bars(rng: random.Random) -> Image.Image:
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    x = rng.randint(30, 150)
    for _ in range(rng.randint(5, 9)):
        w = rng.randint(7, 20)
        top = rng.randint(125, 350)
        draw.rounded_rectangle(
            (x, top, x + w, SIZE[1] - 45), radius=w // 2, fill=(255, 255, 255, 46)
        )
        x += w + rng.randint(9, 20)
    return layer


def draw(seed: int, palette: Palette, *, bars: bool = False) -> bytes:
    """A JPEG of an abstract composition for ``seed`` in ``palette``."""
    rng = random.Random(seed)  # noqa: S311 # nosec B311 - decoration, not security
    image = _gradient(palette).convert("RGBA")
    image = Image.alpha_composite(image, _shapes(rng, _rgb(palette[rng.randrange(4)])))
    if bars:
        image = Image.alpha_composite(image, _bars(rng))
    buffer = io.BytesIO()
    image = image.convert("RGB").resize(OUTPUT, Image.Resampling.BICUBIC)
    image.save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
    return buffer.getvalue()
