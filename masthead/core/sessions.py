"""Database sessions that make a new session in one write, and the hourly cleanup."""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string


class SessionStore(DbSessionStore):
    """Django's database sessions, minus two round trips for each new session.

    - A new key is not looked up before it is used: the key is the table's primary key,
      so the INSERT that creates the session fails on a clash and ``create()`` draws again.
    - A session is not written twice in one request with the same data. An anonymous upload
      creates its session to own the job; the session middleware then saves it again to
      send the cookie, which would UPDATE the row it has just inserted.
    """

    _written: bytes | None = None

    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()  # saves with must_create=True, which records the write
        if not must_create and self._written is not None and self._snapshot() == self._written:
            return
        super().save(must_create)
        self._written = self._snapshot()

    def _snapshot(self) -> bytes:
        """The data as stored (deep: a value changed in place counts as a change)."""
        return bytes(self.serializer().dumps(dict(self.items())))


def sessions_delete_expired(*, batch: int = 5000) -> int:
    """Delete expired sessions in batches (short transactions on a big table); the count.

    Django leaves expired rows in place until ``clearsessions`` runs; beat runs this hourly.
    """
    deleted = 0
    now = timezone.now()
    while True:
        keys = list(
            Session.objects.filter(expire_date__lt=now).values_list("session_key", flat=True)[
                :batch
            ]
        )
        if not keys:
            return deleted
        deleted += Session.objects.filter(session_key__in=keys).delete()[0]
