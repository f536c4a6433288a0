"""Engine registry: a name -> a lazily built, per-process engine instance.

``get("rapid")`` imports the adapter module only when first asked, builds the engine once
(loading models is the expensive part) and returns the same object afterwards. Pass an
engine to ``pipeline.run(engine=...)`` instead when you need another instance (tests).

A built engine holds its models (~300 MB for RapidOCR) for as long as the process lives.
A process that reads images only now and then (a web process reading small uploads, the
one worker of ``make run``) can give that memory back once no page has been read for a
while: ``release_when_idle(seconds)`` starts a thread that calls ``release_idle``, which
forgets every engine (and the caches registered with ``forget_with_engines``) when none is
in use; the next page builds them again (docs/decisions/0041).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

from masthead.ocr import _memory
from masthead.ocr.engines.base import Engine, split_line
from masthead.ocr.errors import EngineUnavailableError

__all__ = [
    "NAMES",
    "Engine",
    "forget_with_engines",
    "get",
    "in_use",
    "release_idle",
    "release_when_idle",
    "split_line",
]


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


log = logging.getLogger(__name__)
_lock = threading.Lock()
_busy = 0
_last_used = time.monotonic()
_forgetters: list[Callable[[], None]] = [get.cache_clear]
_reaper: threading.Thread | None = None


def forget_with_engines(cache_clear: Callable[[], None]) -> None:
    """Also call ``cache_clear`` when engines are released (a cache holding engines)."""
    with _lock:
        if cache_clear not in _forgetters:
            _forgetters.append(cache_clear)


@contextlib.contextmanager
def in_use() -> Iterator[None]:
    """Mark a page being read: engines are never released while one is."""
    global _busy, _last_used
    with _lock:
        _busy += 1
    try:
        yield
    finally:
        with _lock:
            _busy -= 1
            _last_used = time.monotonic()


def release_idle(idle_seconds: float, *, now: float | None = None) -> bool:
    """Forget every engine if none is in use and the last read ended ``idle_seconds`` ago.

    Returns True when engines were forgotten. An engine a caller still holds lives until
    that caller lets it go; the next ``get`` builds a new one.
    """
    moment = time.monotonic() if now is None else now
    with _lock:
        if _busy or moment - _last_used < idle_seconds:
            return False
        built = get.cache_info().currsize
        for forget in _forgetters:
            forget()
    if built:
        gc.collect()
        _memory.release_freed_memory()
        log.info("ocr engines released after %.0f s without a page", idle_seconds)
    return bool(built)


def release_when_idle(idle_seconds: float) -> None:
    """Start (once per process) the thread that releases engines idle ``idle_seconds``.

    ``0`` or less keeps engines for the life of the process. Call it where pages are read,
    not at import: a thread started before a ``fork`` does not exist in the child.
    """
    global _reaper
    if idle_seconds <= 0:
        return
    with _lock:
        if _reaper is not None and _reaper.is_alive():
            return
        _reaper = threading.Thread(
            target=_reap, args=(idle_seconds,), name="ocr-engine-release", daemon=True
        )
        _reaper.start()


def _reap(idle_seconds: float) -> None:
    interval = max(1.0, idle_seconds / 4)
    while True:
        time.sleep(interval)
        release_idle(idle_seconds)
