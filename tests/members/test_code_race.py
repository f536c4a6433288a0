"""Two simultaneous POSTs of one sign-in code make exactly one session (A07)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
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
    statuses: list[int] = []

    def submit(client: Client) -> None:
        barrier.wait()
        try:
            statuses.append(client.post(CONFIRM, {"code": code}).status_code)
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
    assert len(signed_in) == 1
    # The loser is turned away: 409 from the per-session lock, or, on SQLite, 503 when its
    # write to the limiter's store meets the winner's lock (the limiter fails closed).
    winner, loser = sorted(statuses)
    assert winner == 302
    assert loser in {409, 503}
