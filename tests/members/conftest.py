"""Fixtures for the members tests: the shared cache table, members, staff with TOTP."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from masthead.members import roles, sections
from tests.fixtures import staff

PASSWORD = "correct horse battery staple"
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[0-9]{6})\s*$", re.MULTILINE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The rate limiter's store is the database cache: its table must exist."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache(db: Any, settings: Any) -> None:
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    cache.clear()


@pytest.fixture(autouse=True)
def _own_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Members tests see only the sections they register, not other apps' ones."""
    monkeypatch.setattr(sections, "_sections", {})
    monkeypatch.setattr(sections, "_exporters", {})


def make_member(email: str = "reader@example.com", password: str | None = PASSWORD) -> Any:
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=password
    )
    if password is None:
        user.set_unusable_password()
        user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def member() -> Any:
    return make_member()


def code_from(mail: Any) -> str:
    """The one-time code in a received message (a line of its own)."""
    match = CODE_RE.search(mail.body())
    assert match, mail.body()
    return match.group(1)


def staff_with_totp(role: str, email: str) -> Any:
    user = make_member(email=email)
    roles.role_assign(user=user, role=role)
    return staff.with_totp(user)
