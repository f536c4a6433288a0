"""The "Stay in the loop" box: a visitor's form and a member's button under one description."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db
DESCRIPTION = "Once a week. The week's best posts, in one short email. Unsubscribe in one click."


def _box(user: User | AnonymousUser) -> str:
    request = RequestFactory().get("/blog/")
    request.user = user
    return render_to_string("includes/_newsletter_box.html", {"user": user}, request=request)


def test_a_visitor_gets_the_description_and_the_email_form() -> None:
    html = _box(AnonymousUser())
    assert html.count(DESCRIPTION) == 1
    assert 'name="email"' in html and "Subscribe with my account" not in html


def test_a_member_gets_the_same_description_and_the_account_button() -> None:
    html = _box(User.objects.create_user("mo", "mo@example.com", "x" * 20))
    assert html.count(DESCRIPTION) == 1
    assert "Subscribe with my account's email" in html and 'name="email"' not in html
