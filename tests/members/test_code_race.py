"""Two simultaneous POSTs of one sign-in code make exactly one session (A07)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from tests.members.conftest import code_from, make_member

CONFIRM = "/accounts/login/code/confirm/"


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_of_one_code_sign_in_once(smtp_server):
    call_command("createcachetable", verbosity=0)
    member = make_member("race@example.com")
    first = Client()
    first.post("/accounts/login/code/", {"email": member.email})
    code = code_from(smtp_server.wait_for(member.email)[0])
    second = Client()
    second.cookies = first.cookies  # the same browser, two tabs
    barrier = threading.Barrier(2)
    responses: list[Any] = []
    locked: list[OperationalError] = []

    def submit(client: Client) -> None:
        barrier.wait()
        try:
            responses.append(client.post(CONFIRM, {"code": code}))
        except OperationalError as error:
            # The test database on SQLite is shared-cache memory, where a read that meets
            # the other request's write fails at once ("table is locked"); a SQLite file in
            # WAL mode, as the site runs, lets readers through. Before the view (loading the
            # session) nothing turns that into a 503, so it reaches the test client.
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            locked.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    signed_in = [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(member.pk)
    ]
    # A sign-in happens once at most, and only with a response that says so (a redirect to
    # where a login lands). The other POST is turned away: 409 from the per-session lock; a
    # redirect back to ask for a new code (this one is spent) when the two did not overlap;
    # or, on SQLite, 503 when a write meets the other request's lock (fails closed, and the
    # sign-in that request began is not saved, so both may be turned away).
    landed = [r for r in responses if r.status_code == 302 and r.url == settings.LOGIN_REDIRECT_URL]
    summary = [(r.status_code, r.get("Location")) for r in responses]
    assert len(responses) + len(locked) == 2 and len(signed_in) == len(landed) <= 1, summary
    for response in responses:
        if response not in landed:
            assert response.status_code in {409, 503} or response.url == "/accounts/login/code/"
    if connection.vendor == "postgresql":
        assert len(landed) == 1, summary  # no lock errors there: one POST always wins
