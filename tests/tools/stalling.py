"""An engine for the worker fault tests, plugged in through MASTHEAD_OCR_ENGINE_FACTORY.

``stalling`` stands in for native code that ignores the soft time limit (RELIABILITY F05,
F06): on a very long, thin page it never returns, so only the worker's hard time limit ends
it. Every other page reads like ``tests.tools.engines.scripted``.
"""

from __future__ import annotations

import time

from PIL import Image

from masthead import ocr
from tests.tools.engines import scripted

STALL_RATIO = 5
"""Pages at least this many times wider than tall (or taller than wide) stall."""


class Stalling:
    name = "stalling"

    def __init__(self) -> None:
        self.inner = scripted()  # not "reader": that name is the engine hook (ocr/reading.py)

    def recognise(self, image: Image.Image, *, languages: object) -> list[ocr.Word]:
        from celery.exceptions import SoftTimeLimitExceeded

        width, height = image.size
        if max(width, height) < STALL_RATIO * min(width, height):
            return self.inner.recognise(image, languages=languages)  # type: ignore[arg-type]
        while True:
            try:
                time.sleep(1)
            except SoftTimeLimitExceeded:
                continue  # swallowed, as a C extension holding the GIL would


def stalling() -> Stalling:
    return Stalling()


def submit_stuck_and_healthy(url: str) -> tuple[str, str]:
    """Upload a page this engine stalls on and one it reads; their job ids, in that order."""
    from tests.tools import images
    from tests.tools.stack import post_file

    ids = []
    for name, data in (("strip.png", images.png(1500, 150)), ("page.png", images.png())):
        status, body, _ = post_file(url, name, data, "image/png")
        assert status == 202, body
        ids.append(body["id"])
    return ids[0], ids[1]
