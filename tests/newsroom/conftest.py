"""Fixtures for the newsroom tests: the shared cache table, and staff of each role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from masthead.core import pagecache
from masthead.members import roles
from tests.fixtures import staff

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache(db: Any) -> None:
    cache.clear()
    pagecache.clear_local()


def make_staff(role: str | None, email: str | None = None, *, name: str = "") -> Any:
    """A user holding ``role`` (None: a member) with a verified address and TOTP set up."""
    email = email or f"{role or 'member'}@example.com"
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role is not None:
        roles.role_assign(user=user, role=role)
        staff.with_totp(user)
    if name:
        from masthead.members.models import Profile

        Profile.objects.create(user=user, display_name=name)
    return user


@pytest.fixture
def signed_in() -> Callable[[str | None], Client]:
    """A client signed in (past TOTP) as a fresh user of the given role."""

    def make(role: str | None, email: str | None = None) -> Client:
        client = Client()
        user = make_staff(role, email)
        if role is None:
            client.force_login(user)
        else:
            staff.login_past_totp(client, user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return make
