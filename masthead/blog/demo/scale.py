"""Grow the demo publication to N posts, for measuring a site of realistic size.

``load_demo_content --posts 5000``: the nine demo posts first (as ``demo_load``), then
copies of their bodies under new titles and slugs, spread over five years, tagged from the
demo categories plus extra topics and written by the demo authors plus extra writers, so
lists, archives, tags, authors, feeds and sitemaps all grow. Bodies are rendered once per
source post and their HTML reused; hero images are shared with the source post. Rows are
bulk-inserted in batches; the search index is filled, related posts ranked (ADR 0107)
and the page cache bumped at the end.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from masthead.blog import services
from masthead.blog.demo import loader
from masthead.blog.models import AuthorProfile, Post, PostTag, Tag
from masthead.core import pagecache

EXTRA_TAGS = 48
EXTRA_AUTHORS = 16
BATCH = 500
SPREAD_DAYS = 5 * 365


@dataclass
class ScaleResult:
    posts: int = 0
    tags: int = 0
    authors: int = 0


def _extra_tags() -> tuple[list[Tag], int]:
    created = 0
    tags = list(Tag.objects.order_by("pk"))
    for n in range(1, EXTRA_TAGS + 1):
        tag, new = Tag.objects.get_or_create(
            slug=f"topic-{n:02d}", defaults={"name": f"Topic {n:02d}"}
        )
        created += new
        if new:
            tags.append(tag)
    return tags, created


def _extra_authors() -> tuple[list[AuthorProfile], int]:
    user_model = get_user_model()
    created = 0
    for n in range(1, EXTRA_AUTHORS + 1):
        user, _ = user_model.objects.get_or_create(
            username=f"writer{n:02d}",
            defaults={"email": f"writer{n:02d}@example.com", "is_active": False},
        )
        _, new = AuthorProfile.objects.get_or_create(
            user=user,
            defaults={
                "display_name": f"Writer {n:02d}",
                "slug": f"writer-{n:02d}",
                "bio": "Writes about the week's tools and what they are good for.",
            },
        )
        created += new
    return list(AuthorProfile.objects.order_by("pk")), created


def scale_load(*, posts: int) -> ScaleResult:
    """Add posts until there are ``posts`` in all (existing rows are kept)."""
    result = ScaleResult()
    demo = loader.demo_load()
    result.posts, result.tags, result.authors = demo.posts, demo.tags, demo.authors
    missing = posts - Post.objects.count()
    if missing <= 0:
        return result
    with transaction.atomic():
        tags, new_tags = _extra_tags()
        authors, new_authors = _extra_authors()
        result.tags += new_tags
        result.authors += new_authors
        sources = list(Post.objects.filter(slug__in=[p.slug for p in loader.ALL_POSTS]))
        start = Post.objects.count()
        now = timezone.now()
        cycle = itertools.cycle(sources)
        for batch_start in range(0, missing, BATCH):
            size = min(BATCH, missing - batch_start)
            rows = []
            for i in range(batch_start, batch_start + size):
                n = start + i + 1
                source = next(cycle)
                rows.append(
                    Post(
                        title=f"{source.title} (part {n})", slug=f"{source.slug}-{n}",
                        excerpt=source.excerpt, body=source.body, body_html=source.body_html,
                        toc=source.toc, reading_time=source.reading_time,
                        hero_image=source.hero_image.name, hero_width=source.hero_width,
                        hero_height=source.hero_height, hero_alt=source.hero_alt,
                        hero_renditions=source.hero_renditions, status=Post.Status.PUBLISHED,
                        visibility=source.visibility,
                        published_at=now - timedelta(days=SPREAD_DAYS * n / (posts + 1), hours=1),
                    )
                )  # fmt: skip
            created = Post.objects.bulk_create(rows)
            links, writers = [], []
            through = Post.authors.through
            for post in created:
                n = post.pk
                picked = [tags[n % len(tags)], tags[(n * 7 + 3) % len(tags)]]
                for position, tag in enumerate(dict.fromkeys(picked)):
                    links.append(PostTag(post=post, tag=tag, position=position))
                writers.append(through(post_id=post.pk, user_id=authors[n % len(authors)].user_id))
            PostTag.objects.bulk_create(links)
            through.objects.bulk_create(writers)
            for post in created:
                services.post_search_index(post=post)
            result.posts += len(created)
        services.posts_related_refresh(everything=True)
    pagecache.bump(site_wide=True)
    return result
