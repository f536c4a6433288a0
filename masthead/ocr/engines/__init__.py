"""Engine registry: a name -> a lazily built, per-process engine instance.

``get("rapid")`` imports the adapter module only when first asked, builds the engine once
(loading models is the expensive part) and returns the same object afterwards. Pass an
engine to ``pipeline.run(engine=...)`` instead when you need another instance (tests).
"""

from __future__ import annotations

import functools
import gc
import importlib
from collections.abc import Callable

from masthead.ocr import _memory
from masthead.ocr.engines.base import Engine, split_line
from masthead.ocr.errors import EngineUnavailableError

__all__ = ["NAMES", "Engine", "get", "split_line"]


def _lazy(module: str, attr: str, *, tunable: bool = True) -> Callable[[int, float], Engine]:
    def build(threads: int, timeout: float) -> Engine:
        factory: Callable[..., Engine] = getattr(importlib.import_module(module), attr)
        return factory(threads=threads, timeout=timeout) if tunable else factory()

    return build


_FACTORIES: dict[str, Callable[[int, float], Engine]] = {
    "rapid": _lazy("masthead.ocr.engines.rapid", "RapidEngine"),
    "tesseract": _lazy("masthead.ocr.engines.tesseract", "TesseractEngine"),
    "fake": _lazy("masthead.ocr.engines.fake", "FakeEngine", tunable=False),
}

NAMES: tuple[str, ...] = tuple(_FACTORIES)
"""Registered engine names ("auto" is not an engine: the pipeline resolves it)."""


@functools.cache
def get(name: str, *, threads: int = 1, timeout: float = 120.0) -> Engine:
    """The process-wide engine called ``name``, using ``threads`` CPU threads.

    ``timeout`` bounds one call in engines that run a subprocess (Tesseract); in-process
    engines rely on the worker's time limit.

    Raises:
        EngineUnavailableError: unknown name, or the engine cannot start here (missing
            package or binary); the message says how to install it.
    """
    factory = _FACTORIES.get(name)
    if factory is None:
        raise EngineUnavailableError(name, f"Choose one of: {', '.join(NAMES)}.")
    engine = factory(threads, timeout)
    # Hand back what loading and warming up freed (~100 MB, part of it in reference cycles,
    # hence the collection): the first page would otherwise start from ~320 MB and peak
    # ~600 MB, where later pages start from ~165 MB (ADR 0034).
    gc.collect()
    _memory.release_freed_memory()
    return engine
