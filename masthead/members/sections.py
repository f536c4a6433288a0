"""Sections other apps add to the member's account page, data export and sign-up form.

Apps register in their ``AppConfig.ready()``; the account page renders each section's
template in order, and "download my data" merges each exporter's JSON. Account deletion
relies on foreign keys to the user with ``on_delete=CASCADE``.

A sign-up offer is a checkbox on the sign-up form (never pre-ticked): when the new member
ticks it, ``accept(request=..., user=...)`` runs once the account is created. The newsletter
offers itself this way, so members stays below the newsletter in the layers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class AccountSection:
    key: str
    title: str
    template: str  # gets ``request`` and ``user`` in its context
    order: int = 100


Exporter = Callable[[AbstractBaseUser], Any]


@dataclass(frozen=True, slots=True)
class SignupOffer:
    key: str
    label: str
    help_text: str
    accept: Callable[..., None]  # accept(*, request: HttpRequest, user: AbstractBaseUser)


_sections: dict[str, AccountSection] = {}
_exporters: dict[str, Exporter] = {}
_offers: dict[str, SignupOffer] = {}


def register_section(section: AccountSection) -> None:
    _sections[section.key] = section


def register_exporter(key: str, exporter: Exporter) -> None:
    """``exporter(user)`` returns JSON-ready data placed under ``key`` in the export."""
    _exporters[key] = exporter


def sections() -> list[AccountSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def register_signup_offer(offer: SignupOffer) -> None:
    _offers[offer.key] = offer


def signup_offers() -> list[SignupOffer]:
    return sorted(_offers.values(), key=lambda offer: offer.key)


def signup_offers_accept(*, request: HttpRequest, user: AbstractBaseUser, keys: set[str]) -> None:
    for offer in signup_offers():
        if offer.key in keys:
            offer.accept(request=request, user=user)
