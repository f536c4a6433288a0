"""No account enumeration in the four flows (A05, F10): same status, location and body."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.members.conftest import make_member

EXISTING = "known@example.com"
MISSING = "nobody@example.com"
FLOWS: dict[str, tuple[str, Callable[[str], dict[str, str]]]] = {
    "login": ("/accounts/login/", lambda email: {"login": email, "password": "not the password"}),
    "reset": ("/accounts/password/reset/", lambda email: {"email": email}),
    "code": ("/accounts/login/code/", lambda email: {"email": email}),
    "signup": ("/accounts/signup/", lambda email: {"email": email}),
}
_VOLATILE = re.compile(r'(csrfmiddlewaretoken" value=|nonce=)"?[^">\s]+')


def _normalised(client: Client, response: Any) -> tuple[int, str, str]:
    """Status, redirect target and the page it leads to, without per-request tokens."""
    location = response.get("Location", "")
    page = client.get(location) if location else response
    body = _VOLATILE.sub("TOKEN", page.content.decode())
    return response.status_code, location, body.replace(EXISTING, "EMAIL").replace(MISSING, "EMAIL")


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_responses_are_identical_for_existing_and_missing_accounts(smtp_server, flow):
    make_member(EXISTING)
    path, data = FLOWS[flow]
    seen = []
    for email in (EXISTING, MISSING):
        client = Client()
        client.get(path)
        seen.append(_normalised(client, client.post(path, data(email))))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("flow", ["reset", "code", "signup"])
def test_identical_when_the_mail_server_refuses(smtp_server, flow):
    smtp_server.reply = "554 no thanks"
    make_member(EXISTING)
    path, data = FLOWS[flow]
    seen = []
    for email in (EXISTING, MISSING):
        client = Client()
        seen.append(_normalised(client, client.post(path, data(email))))
    assert seen[0] == seen[1]
    assert seen[0][0] == 302


@pytest.mark.parametrize("flow", ["reset", "code"])
def test_both_addresses_get_a_mail(smtp_server, flow):
    make_member(EXISTING)
    path, data = FLOWS[flow]
    for email in (EXISTING, MISSING):
        Client().post(path, data(email))
    assert smtp_server.wait_for(EXISTING)[0].subject != ""
    assert "no account" in smtp_server.wait_for(MISSING)[0].body()
