"""Keep a page's buffers from becoming the process's resident size.

Reading a page allocates and frees hundreds of megabytes (the detector's and recogniser's
buffers, image copies). Two glibc habits would make that the resident size:

* Freed heap memory is kept for reuse, so a worker's resident size ratchets up to its
  worst page and stays there. ``release_freed_memory`` (``malloc_trim(0)`` after each
  page) hands it back: over the 54 development images one process ended at 156 MB
  resident instead of 466 MB.
* Blocks above the mmap threshold are mapped and unmapped on their own, but glibc raises
  that threshold (up to 32 MB) each time such a block is freed, after which the
  detector's large tensors come from the heap, where they fragment. ``bound_heap`` holds
  it at ``MMAP_THRESHOLD`` (docs/decisions/0034). Three pages read twice in one process,
  peak / CPU seconds: 4 MB 420 MB / 21.5 s, 16 MB 469 MB / 19.0 s, 32 MB 543 MB / 18.0 s
  (every block that is mapped is zeroed again on each call: the CPU price).

Elsewhere than glibc both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

MMAP_THRESHOLD = 16 * 1024 * 1024
"""Blocks at least this large get their own mapping, returned to the OS when freed: the
detector's largest tensors. 4 MB lowered the peak a further ~50 MB for ~13% more CPU."""

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)


@functools.cache
def _libc() -> Any | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - raises AttributeError when the C library is not glibc
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):  # not glibc
        return None
    return libc


def release_freed_memory() -> None:
    """Return the free parts of the heap to the OS (``malloc_trim(0)``), where possible."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def bound_heap() -> bool:
    """Hold glibc's mmap threshold at ``MMAP_THRESHOLD`` for this process (once).

    True when set; False where the C library is not glibc or refused it.
    """
    libc = _libc()
    return libc is not None and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
