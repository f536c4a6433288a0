"""A scripted engine for tests and demos: returns the words it was given."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from masthead.ocr.document import Word


class FakeEngine:
    """Returns ``words`` for every image (or ``script(image)`` when given).

    Records each call's image size and languages in ``calls``, so tests can check what the
    pipeline sent without patching anything.
    """

    def __init__(
        self,
        words: Sequence[Word] = (),
        *,
        script: Callable[[Image.Image], list[Word]] | None = None,
        name: str = "fake",
    ) -> None:
        self.name = name
        self._words = tuple(words)
        self._script = script
        self.calls: list[tuple[tuple[int, int], tuple[str, ...]]] = []

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.calls.append((image.size, tuple(languages)))
        if self._script is not None:
            return self._script(image)
        return list(self._words)
