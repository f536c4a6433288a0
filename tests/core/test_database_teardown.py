"""The test database is dropped even when a thread left its connection open.

A thread that reads the database (a live server's request thread, an OCR read run beside
its request) keeps its connection until its objects are collected; PostgreSQL refuses to
drop a database with a session open on it, and the run ended with a teardown error after
every test had passed. ``tests/fixtures/django_env.django_db_setup`` ends those sessions
first. This test leaves such a connection open on purpose, so every PostgreSQL pass drops
its database past one: if the fixture stops working, the pass fails at teardown.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

_RELEASE = threading.Event()


def test_a_thread_that_keeps_its_connection_open_does_not_stop_the_teardown() -> None:
    read = threading.Event()

    def hold() -> None:
        from django.db import connection as own

        with own.cursor() as cursor:
            cursor.execute("SELECT 1")
        read.set()
        _RELEASE.wait(3600)  # alive, its connection open, until the process ends

    threading.Thread(target=hold, daemon=True, name="leaked-connection").start()
    assert read.wait(10)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (others,) = cursor.fetchone()
        assert others >= 1  # the thread's session is open on the test database
