"""Typed readers for environment variables.

Every setting Masthead reads from the environment goes through these helpers, so a bad
value fails at start-up with a message naming the variable instead of deep inside a view.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from masthead.ocr.sizes import parse_size

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_bytes(name: str, default: int) -> int:
    """Read a size such as ``20MB``, ``512kB`` or ``1048576``; 1 MB is 1,000,000 bytes,
    the unit every page and message shows (``KiB``/``MiB`` are read as binary)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse_size(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a size such as 20MB, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, debug: bool, dev_value: str) -> str:
    """A secret from ``NAME`` or the file named by ``NAME_FILE``.

    With DEBUG off there is no fallback: a missing secret stops start-up.
    """
    value = os.environ.get(name, "")
    file_name = os.environ.get(f"{name}_FILE", "")
    if not value and file_name:
        path = Path(file_name)
        if not path.is_file():
            raise ImproperlyConfigured(f"{name}_FILE points to {file_name}, which does not exist.")
        value = path.read_text(encoding="utf-8").strip()
    if value:
        return value
    if debug:
        return dev_value
    raise ImproperlyConfigured(
        f"{name} is not set. Set it (or {name}_FILE) to a long random value; "
        "only MASTHEAD_DEBUG=1 runs without one."
    )
