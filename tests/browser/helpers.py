"""Helpers the browser journeys share: a user signed in on the page's browser, and the
screenshots the guides show.

``MASTHEAD_DOCS_SHOTS=docs/img`` makes ``docs_shot`` save the pictures the editor's guide shows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.test import Client

from tests.fixtures.staff import login_past_totp

SHOTS = os.environ.get("MASTHEAD_DOCS_SHOTS", "")


def sign_in(page: Any, live_server: Any, user: Any, *, totp: bool = True) -> None:
    """``user`` signed in on ``page``'s browser through a real session cookie: past the staff
    two-factor gate (``totp``), or as a member who has no second factor."""
    client = Client()
    if totp:
        login_past_totp(client, user)
    else:
        client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.session.session_key, "url": live_server.url}]
    )


def docs_shot(page: Any, name: str) -> None:
    """Save the page as ``<name>.png`` in ``MASTHEAD_DOCS_SHOTS`` when that is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))
