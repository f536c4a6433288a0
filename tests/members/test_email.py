"""Email from the members app: links from SITE_URL (C09), email change (A24), headers."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.test import Client

from tests.members.conftest import PASSWORD, code_from


def test_links_in_mail_use_site_url_not_the_host_header(smtp_server, settings):
    settings.SITE_URL = "https://news.masthead.example"
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    client = Client(HTTP_HOST="localhost")  # allowed, but not the public address
    client.post("/accounts/login/code/", {"email": "stranger@example.com"})
    [mail] = smtp_server.wait_for("stranger@example.com")
    links = re.findall(r"https?://\S+", mail.body())
    assert links, mail.body()
    assert "https://news.masthead.example/accounts/signup/" in links
    assert all(link.startswith("https://news.masthead.example") for link in links), links
    assert "localhost" not in mail.body()


def test_forged_host_is_refused(client):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_email_change_needs_reauth_verifies_new_and_tells_old(client, smtp_server, member):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert smtp_server.messages == []

    response = client.post(response["Location"], {"password": PASSWORD})
    [mail] = smtp_server.wait_for("new@example.com")
    response = client.post("/accounts/confirm-email/", {"code": code_from(mail)})
    assert response.status_code == 302

    assert EmailAddress.objects.get(user=member, primary=True).email == "new@example.com"
    assert not EmailAddress.objects.filter(email=member.email).exists()
    notices = smtp_server.wait_for(member.email)
    assert "was changed from reader@example.com to new@example.com" in notices[-1].body()
    member.refresh_from_db()
    assert member.email == "new@example.com"


def test_token_pages_send_no_referrer_to_other_sites(client, smtp_server, member):
    for page in ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"]:
        response = Client().get(page)
        assert response.status_code == 200, page
        assert response["Referrer-Policy"] == "same-origin", page
    client.post("/accounts/login/code/", {"email": member.email})
    response = client.get("/accounts/login/code/confirm/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert client.get("/").get("Referrer-Policy") != "same-origin"  # the rest of the site


def test_mail_headers_are_plain_and_from_the_site(client, smtp_server, member, settings):
    client.post("/accounts/login/code/", {"email": member.email})
    [mail] = smtp_server.wait_for(member.email)
    assert mail.message["To"] == member.email
    assert mail.message["From"] == settings.DEFAULT_FROM_EMAIL
    assert mail.subject.startswith(f"[{settings.SITE_NAME}] ")
    assert "\n" not in mail.subject and "\r" not in mail.subject
