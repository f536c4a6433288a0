"""Sections other apps add to the member's account page and data export.

Apps register in their ``AppConfig.ready()``; the account page renders each section's
template in order, and "download my data" merges each exporter's JSON. Account deletion
relies on foreign keys to the user with ``on_delete=CASCADE``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True, slots=True)
class AccountSection:
    key: str
    title: str
    template: str  # gets ``request`` and ``user`` in its context
    order: int = 100


Exporter = Callable[[AbstractBaseUser], Any]

_sections: dict[str, AccountSection] = {}
_exporters: dict[str, Exporter] = {}


def register_section(section: AccountSection) -> None:
    _sections[section.key] = section


def register_exporter(key: str, exporter: Exporter) -> None:
    """``exporter(user)`` returns JSON-ready data placed under ``key`` in the export."""
    _exporters[key] = exporter


def sections() -> list[AccountSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)
