"""What every loader shares: the pixel cap, and pixel modes -> 8-bit L/RGB.

``check_pixels`` is the one gate between a page's declared size (an image header, a
frame's header, a PDF page box at its render scale) and the allocation of its pixels;
every path that decodes or renders a page calls it first (docs/decisions/0012).

Pixel-mode normalisation: anything Pillow decodes -> 8-bit L/RGB.

Cases handled on purpose: 16-bit and 32-bit greyscale (scaled, not clipped to white),
CMYK, palette with transparency, 1-bit, and alpha flattened on white. When text exists
only in the alpha channel (the colour channels are flat, e.g. white text on transparent),
flattening would erase it, so the alpha channel itself becomes the page, dark on light.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from PIL import Image, ImageOps

from masthead.ocr.document import Word
from masthead.ocr.errors import ImageTooLargeError
from masthead.ocr.options import WORK_PIXELS

_FLAT = 24  # grey-level spread under which a channel carries no readable text


@dataclass(frozen=True, slots=True)
class PageImage:
    """One page ready for recognition.

    ``image`` is upright per EXIF, 8-bit ``L`` or ``RGB``, flattened on white. For a PDF
    page with a usable text layer, ``words`` holds that text (pixel boxes at ``dpi``) and
    ``image`` is None unless it was asked for.
    """

    number: int
    width: int
    height: int
    dpi: int
    image: Image.Image | None = None
    words: tuple[Word, ...] | None = None


@functools.cache
def register_heif() -> None:
    """Teach Pillow HEIC/HEIF once per process (pillow-heif is optional at import time)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def check_pixels(width: int, height: int, max_pixels: int, *, page: int = 0, dpi: int = 0) -> None:
    """Refuse a page before its pixels exist: both sides at least 1, area within the cap.

    Call it with the size about to be allocated (header, frame header, render size), never
    with a decoded image: by then the memory is spent. ``page`` and ``dpi`` go into the
    message (a PDF page is measured at the lowest resolution it may be rendered at).
    """
    if width < 1 or height < 1 or width * height > max_pixels:
        raise ImageTooLargeError(width, height, max_pixels, page=page, dpi=dpi)


def work_reduction(width: int, height: int) -> int:
    """The whole factor (1 or more) a page of this size can be shrunk by and still hold
    ``WORK_PIXELS``: what a decoded image is reduced by at once (``load``) and a PDF page's
    resolution is divided by (``pdf_pages.work_dpi``), as the JPEG decoder's own scaling
    does. The pipeline reads at most ``WORK_PIXELS`` (``preprocess``) and resamples the
    rest; a page held whole until then costs ~100 MB per copy at 35 megapixels."""
    if width * height <= WORK_PIXELS:
        return 1
    return max(1, math.floor(math.sqrt(width * height / WORK_PIXELS)))


def dpi_of(image: Image.Image, default: int = 300) -> int:
    """The resolution the file declares, if plausible; ``default`` otherwise."""
    value = image.info.get("dpi")
    try:
        dpi = round(float(value[0])) if value else 0
    except (TypeError, ValueError, IndexError):
        dpi = 0
    return dpi if 36 <= dpi <= 1200 else default


def normalise(image: Image.Image) -> Image.Image:
    """An 8-bit ``L`` or ``RGB`` copy of ``image``, with transparency removed."""
    mode = image.mode
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        return _deep_to_l(image)
    if mode == "1":
        return image.convert("L")
    if mode == "P":
        has_alpha = "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        mode = image.mode
    if mode in ("LA", "La", "PA", "RGBA", "RGBa"):
        return _flatten(image.convert("RGBA"))
    if mode == "L":
        return image.copy()
    return image.convert("RGB")


def _deep_to_l(image: Image.Image) -> Image.Image:
    """Scale 16/32-bit or float samples into 0-255 using the data's real range."""
    import numpy as np  # only deep images need it; upload checks import this module

    data = np.asarray(image, dtype=np.float64)
    top = float(data.max()) if data.size else 0.0
    low = min(float(data.min()) if data.size else 0.0, 0.0)
    span = max(top - low, 255.0) if top > 255 else 255.0
    scaled = np.clip((data - low) * (255.0 / span), 0, 255).astype(np.uint8)
    return Image.fromarray(scaled)


def _flatten(rgba: Image.Image) -> Image.Image:
    """Composite on white; fall back to the alpha channel when colour is flat."""
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, rgba).convert("RGB")
    alpha = rgba.getchannel("A")
    if _spread(flat.convert("L")) < _FLAT <= _spread(alpha):
        return ImageOps.invert(alpha)
    return flat


def _spread(channel: Image.Image) -> int:
    import numpy as np

    low, high = np.percentile(np.asarray(channel), [1, 99])
    return int(high - low)
