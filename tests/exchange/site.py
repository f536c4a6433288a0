"""A small publication for the Content API tests: three tags, two authors, five posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from masthead.blog.models import AuthorProfile, Post, Tag
from tests.blog.factories import make_author, make_tag, published_post


@dataclass
class Site:
    security: Tag
    ai: Tag
    design: Tag
    ada: AuthorProfile
    grace: AuthorProfile
    posts: dict[str, Post]


def build_site() -> Site:
    now = timezone.now()
    security = make_tag("Security", "security")
    ai = make_tag("AI", "ai")
    design = make_tag("Design", "design")
    ada = make_author(display_name="Ada Lovelace", slug="ada")
    grace = make_author(display_name="Grace Hopper", slug="grace")
    posts = {
        "locks": published_post(
            slug="locks", title="Locks and keys", tags=[security, ai], authors=[ada],
            featured=True, published_at=now - timedelta(days=1),
        ),
        "models": published_post(
            slug="models", title="Models at work", tags=[ai], authors=[grace, ada],
            published_at=now - timedelta(days=2),
        ),
        "phishing": published_post(
            slug="phishing", title="Phishing season", tags=[security], authors=[grace],
            published_at=now - timedelta(days=3),
            body="## Secret\n\nMembers read this **paid** part.", visibility=Post.Visibility.MEMBERS,
        ),
        "colour": published_post(
            slug="colour", title="Colour for readers", tags=[design], authors=[ada],
            published_at=now - timedelta(days=4),
        ),
        "draft": published_post(
            slug="draft", title="Not yet", tags=[security], authors=[ada], status=Post.Status.DRAFT,
            published_at=None,
        ),
    }  # fmt: skip
    return Site(security, ai, design, ada, grace, posts)
