"""Catalogue cases the other members tests left open: A09 (email change), A10, A12 (T05
property), A19, A22 behind a proxy, F10."""

from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit

from allauth.account.models import EmailAddress
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.members.adapter import is_local_path
from tests.members.conftest import code_from, make_member

CONFIRM = "/accounts/login/code/confirm/"
SITE = "https://news.masthead.example/"


def test_mail_failure_is_logged_by_hash_and_the_page_is_unchanged(smtp_server, member, caplog):
    """F10: the mail server refusing is written to the log (without the address)."""
    caplog.set_level("INFO", logger="masthead.members.mail")
    smtp_server.reply = "554 no thanks"
    response = Client().post("/accounts/login/code/", {"email": member.email})
    assert response.status_code == 302 and response["Location"] == CONFIRM
    lines = [r for r in caplog.records if r.name == "masthead.members.mail"]
    assert [r.getMessage().split()[0] for r in lines] == ["mail_failed"]
    assert "email_hash=" in lines[0].getMessage() and lines[0].exc_info is not None
    assert member.email not in lines[0].getMessage()


def test_code_requests_from_one_ip_are_limited_to_twenty_a_minute(smtp_server):
    """A10: the 21st code request a minute from one address answers like any other limit,
    the same for an account that exists and one that does not."""
    make_member("known@example.com")
    statuses = [
        Client(REMOTE_ADDR="192.0.2.77")  # a fresh browser each time, as a script would be
        .post("/accounts/login/code/", {"email": f"ip{n}@example.com"})
        .status_code
        for n in range(20)
    ]
    assert statuses == [302] * 20
    bodies = []
    for email in ("known@example.com", "nobody@example.com"):
        response = Client(REMOTE_ADDR="192.0.2.77").post("/accounts/login/code/", {"email": email})
        assert response.status_code == 200
        bodies.append(response.content.decode().replace(email, "EMAIL"))
    assert "Too many" in bodies[0]
    assert _without_tokens(bodies[0]) == _without_tokens(bodies[1])
    other_ip = Client(REMOTE_ADDR="192.0.2.78").post(
        "/accounts/login/code/", {"email": "x@example.com"}
    )
    assert other_ip.status_code == 302
    assert len(smtp_server.wait_for("x@example.com")) == 1
    assert smtp_server.to("known@example.com") == [] and smtp_server.to("nobody@example.com") == []


def _without_tokens(html: str) -> str:
    from tests.members.test_enumeration import _VOLATILE

    return _VOLATILE.sub("TOKEN", html)


def test_sign_in_code_for_an_address_that_changed_signs_nobody_in(smtp_server, member):
    """A09: a code sent to the old address is useless once the account moved to a new one
    (the state test_email's email change leaves: old address gone, new one verified)."""
    asker = Client()
    asker.post("/accounts/login/code/", {"email": member.email})
    code = code_from(smtp_server.wait_for(member.email)[0])
    EmailAddress.objects.filter(user=member).delete()
    EmailAddress.objects.create(user=member, email="moved@example.com", verified=True, primary=True)
    member.email = "moved@example.com"
    member.save()
    response = asker.post(CONFIRM, {"code": code})
    assert response.status_code == 302 and response["Location"] != "/"
    assert "_auth_user_id" not in asker.session


def test_password_fields_allow_paste_and_password_managers(client):
    """A19: no paste blocking and no autocomplete="off" on the password fields."""
    for path in ("/accounts/login/", "/accounts/signup/"):
        html = client.get(path).content.decode().lower()
        assert 'type="password"' in html, path
        assert "onpaste" not in html and 'autocomplete="off"' not in html, path


def test_behind_a_proxy_rotating_forwarded_for_does_not_reset_the_ip_limit(settings, caplog):
    """A22 with ``MASTHEAD_TRUSTED_PROXY_COUNT=1``: the address the proxy appends counts;
    whatever a client writes to the left of it does not."""
    settings.MASTHEAD_TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    caplog.set_level("INFO", logger="masthead.members.auth")
    proxy = "10.0.0.2"  # every request arrives from the load balancer
    statuses = [
        Client(REMOTE_ADDR=proxy)
        .post(
            "/accounts/login/",
            {"login": f"spray{n}@example.com", "password": "wrong password"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.9",
        )
        .status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    other_reader = Client(REMOTE_ADDR=proxy).post(
        "/accounts/login/",
        {"login": "someone@example.com", "password": "wrong password"},
        HTTP_X_FORWARDED_FOR="198.51.100.10",
    )
    assert other_reader.status_code == 200
    logged = [r.getMessage() for r in caplog.records if r.name == "masthead.members.auth"]
    assert logged and all("ip=198.51.100." in line for line in logged), logged


_PIECES = st.sampled_from(
    ["/", "//", "\\", "/\\", "%2f", "%2F", "%5c", "%09", "\t", "\n", "\r", " ", ":", "@",
     "evil.example", "https:", "http:", "javascript:", "%2e", ".", "..", "?", "#", "%", "blog"]
)  # fmt: skip
_URLS = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=12).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_URLS)
def test_accepted_redirect_targets_never_leave_the_site(url: str) -> None:
    """T05 for A12: whatever passes the check resolves onto this site, also once decoded."""
    if not is_local_path(url):
        return
    for candidate in (url, unquote(url)):
        target = urlsplit(urljoin(SITE, candidate))
        assert (target.scheme, target.netloc) == ("https", "news.masthead.example"), url


def test_the_property_above_is_not_vacuous() -> None:
    assert all(is_local_path(url) for url in ("/", "/blog/", "/search/?q=word", "/a/../b/"))
    assert not any(is_local_path(url) for url in ("//evil.example", "/%2F/evil.example", "/\\x"))
