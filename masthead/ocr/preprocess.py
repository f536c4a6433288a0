"""Make a page image easy to read, and map boxes found on it back to the page.

Stages: scale (upscale small screenshots so x-height reaches the models' comfort zone,
downscale huge photos to bound time and memory), then pad every edge with the estimated
background colour, because detectors miss text that touches the border. ``Prepared``
remembers both so word boxes can be mapped back exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from masthead.ocr.document import Word
from masthead.ocr.options import WORK_PIXELS, OcrOptions

SMALL_SIDE = 1000  # images whose longer side is below this are upscaled
MAX_UPSCALE = 2.0
PAD_FRACTION = 0.03
MIN_PAD = 12


@dataclass(frozen=True, slots=True)
class Prepared:
    """An image ready for an engine, plus how to map its boxes back to the page.

    ``scale`` is prepared pixels per page pixel; ``pad`` is the margin added on every side,
    in prepared pixels. Rotating a prepared image by a multiple of 90 degrees keeps both
    valid, which is why orientation correction can run after this stage.
    """

    image: Image.Image
    scale: float
    pad: int

    @property
    def page_size(self) -> tuple[int, int]:
        """Size of the page (unpadded, unscaled) that this image shows."""
        width, height = self.image.size
        return (
            max(1, round((width - 2 * self.pad) / self.scale)),
            max(1, round((height - 2 * self.pad) / self.scale)),
        )

    def with_image(self, image: Image.Image) -> Prepared:
        return Prepared(image, self.scale, self.pad)

    def to_page(self, words: Iterable[Word]) -> list[Word]:
        """Words with boxes in page pixels, clipped to the page; empty boxes dropped."""
        width, height = self.page_size
        mapped: list[Word] = []
        for word in words:
            box = word.bbox.shifted(-self.pad, -self.pad).scaled(1 / self.scale)
            box = box.clipped(width, height)
            if box.width and box.height and word.text.strip():
                mapped.append(Word(word.text.strip(), box, word.confidence))
        return mapped


def prepare(image: Image.Image, options: OcrOptions) -> Prepared:
    """Colour-normalised, scaled and padded copy of ``image``."""
    del options  # reserved: per-run tuning stays out until measured
    image = image if image.mode in ("L", "RGB") else image.convert("RGB")
    scale = choose_scale(image.size)
    if scale != 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    pad = max(MIN_PAD, round(PAD_FRACTION * min(image.size)))
    padded = ImageOps.expand(image, border=pad, fill=background(image))
    return Prepared(padded, scale, pad)


def choose_scale(size: tuple[int, int]) -> float:
    """Upscale small images (at most 2x), downscale above ``WORK_PIXELS``."""
    width, height = size
    if width * height > WORK_PIXELS:
        return math.sqrt(WORK_PIXELS / (width * height))
    longest = max(width, height)
    if longest < SMALL_SIDE:
        return min(MAX_UPSCALE, SMALL_SIDE / longest)
    return 1.0


def background(image: Image.Image) -> int | tuple[int, ...]:
    """Median colour of the outermost pixels: the colour to extend the page with."""
    data = np.asarray(image)
    edges = np.concatenate([data[0], data[-1], data[:, 0], data[:, -1]])
    median = np.median(edges, axis=0)
    if np.ndim(median) == 0:
        return int(median)
    return tuple(int(v) for v in median)
