"""The newsroom as staff use it, in Chromium: an admin invites an editor by email, the
editor joins (password and authenticator app once) and lands on the dashboard; an author
is refused the settings; a new name and accent colour show on the next public page; and
axe-core finds nothing on the newsroom pages (light and dark, desktop and 390 px)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal import auth as totp
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from masthead.core import pagecache
from tests.browser import axe
from tests.browser.helpers import sign_in
from tests.fixtures.browser import assert_clean
from tests.fixtures.smtp import MailSink
from tests.newsroom.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "nell.editor@example.com"
# MASTHEAD_DOCS_SCREENSHOTS=1 refreshes the editor's guide pictures (docs/img/).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(autouse=True)
def _site(settings: Any, live_server: Any, tmp_path: Path) -> Iterator[None]:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("createcachetable", verbosity=0)
    cache.clear()
    pagecache.clear_local()
    yield
    cache.clear()  # the publication settings changed here must not reach later tests
    pagecache.clear_local()


def _as(page: Any, live_server: Any, role: str, email: str) -> Any:
    user = make_staff(role, email, name=f"{role.title()} Person")
    sign_in(page, live_server, user)
    return user


def _check_everywhere(page: Any, path: str, shot: str = "") -> None:
    for width, height in ((1280, 900), (390, 844)):
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme=scheme)
            page.goto(path)
            assert axe.violations(page) == [], (path, width, scheme)
            if shot and scheme == "light" and os.environ.get("MASTHEAD_DOCS_SCREENSHOTS"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                suffix = "" if width > 400 else "-phone"
                page.screenshot(path=str(SCREENSHOTS / f"{shot}{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")


def test_admin_invites_an_editor_who_joins_once_and_lands_in_the_newsroom(
    page: Any, browser: Any, live_server: Any, smtp_server: MailSink
) -> None:
    _as(page, live_server, "admin", "ada.admin@example.com")
    page.goto("/newsroom/people/")
    page.get_by_label("Email address").fill(NEW)
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {NEW}.")).to_be_visible()
    expect(page.get_by_text(f"{NEW} · editor")).to_be_visible()
    _check_everywhere(page, "/newsroom/people/", shot="newsroom-people")

    [mail] = smtp_server.wait_for(NEW)
    link = re.search(r"(http\S+/newsroom/join/\S+/)", mail.body())
    assert link, mail.body()

    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(link.group(1))
    expect(invitee.get_by_role("heading", name="Join Masthead")).to_be_visible()
    _check_everywhere(invitee, link.group(1), shot="newsroom-join")
    invitee.get_by_label("Your name").fill("Nell Editor")
    invitee.get_by_label("Choose a password").fill("a long passphrase nobody guesses")
    secret = invitee.locator("#authenticator_secret").inner_text().strip()
    code = totp.format_hotp_value(totp.hotp_value(secret, int(time.time()) // 30))
    invitee.get_by_label("Code from your authenticator app").fill(code)
    invitee.get_by_role("button", name="Join the newsroom").click()

    invitee.wait_for_url("**/newsroom/")
    expect(invitee.get_by_role("heading", name="Good to see you, Nell Editor")).to_be_visible()
    # In the newsroom and the admin without being asked for anything again.
    invitee.goto("/admin/")
    assert "/admin/" in invitee.url and "/accounts/" not in invitee.url
    invitee.context.close()
    assert_clean(page)


def test_author_is_refused_the_settings(page: Any, live_server: Any) -> None:
    _as(page, live_server, "author", "author@example.com")
    response = page.goto("/newsroom/publication/")
    assert response is not None and response.status == 403
    expect(page.get_by_text("Only admins can do this")).to_be_visible()
    _check_everywhere(page, "/newsroom/publication/")
    # The browser logs each refused page load (403) as a console error: those are expected.
    assert all("403" in error for error in page.console_errors), page.console_errors
    page.console_errors.clear()
    page.goto("/newsroom/")
    expect(page.get_by_role("heading", name="Good to see you, Author Person")).to_be_visible()
    _check_everywhere(page, "/newsroom/", shot="newsroom-dashboard")
    assert_clean(page)


def test_new_name_and_accent_show_on_the_next_public_page(
    page: Any, browser: Any, live_server: Any
) -> None:
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/")
    reader.goto("/")  # now served from the page cache
    expect(reader.locator(".site-header__brand")).to_have_text("MMasthead")

    _as(page, live_server, "admin", "ada.admin@example.com")
    _check_everywhere(page, "/newsroom/publication/", shot="newsroom-publication")
    page.get_by_label("Name", exact=True).fill("The Signal")
    page.locator("#id_accent_color").fill("#0b6e4f")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved. Readers see the new settings")).to_be_visible()

    reader.goto("/")
    expect(reader.locator(".site-header__brand")).to_have_text("TThe Signal")
    accent = reader.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
    )
    assert accent == "#0b6e4f"
    reader.context.close()

    page.locator("#id_accent_color").fill("#ffff00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("too light to read on the light background")).to_be_visible()
    assert axe.violations(page) == []  # the form with its errors too
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    assert_clean(page)
