"""Load the demo publication idempotently (natural keys: username, tag slug, post slug).

Existing rows are left as they are, so an editor's changes survive ``make run``; only what
is missing is created. Each post goes through the same services as an admin save.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from masthead.blog import images, services
from masthead.blog.demo import art
from masthead.blog.demo.content import AUTHORS, TAGS, DemoPost
from masthead.blog.demo.posts_ai import POSTS as AI_POSTS
from masthead.blog.demo.posts_other import POSTS as OTHER_POSTS
from masthead.blog.demo.posts_security import POSTS as SECURITY_POSTS
from masthead.blog.models import AuthorProfile, Post, Tag

ALL_POSTS: tuple[DemoPost, ...] = AI_POSTS + SECURITY_POSTS + OTHER_POSTS


@dataclass
class DemoResult:
    authors: int = 0
    tags: int = 0
    posts: int = 0


def demo_is_needed() -> bool:
    """True when there is no post at all (a fresh install)."""
    return not Post.objects.exists()


def _authors() -> tuple[dict[str, AuthorProfile], int]:
    user_model = get_user_model()
    profiles, created = {}, 0
    for author in AUTHORS:
        user, _ = user_model.objects.get_or_create(
            username=author.username,
            defaults={"email": f"{author.username}@example.com", "is_active": False},
        )
        profile, new = AuthorProfile.objects.get_or_create(
            user=user,
            defaults={"display_name": author.name, "slug": author.slug, "bio": author.bio},
        )
        profiles[author.username] = profile
        created += new
    return profiles, created


def _tags() -> tuple[dict[str, Tag], int]:
    tags, created = {}, 0
    for slug, (name, description) in TAGS.items():
        tag, new = Tag.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        tags[slug] = tag
        created += new
    return tags, created


def _post(
    item: DemoPost, seed: int, profiles: dict[str, AuthorProfile], tags: dict[str, Tag]
) -> bool:
    if Post.objects.filter(slug=item.slug).exists():
        return False
    post = Post(
        slug=item.slug, title=item.title, excerpt=item.excerpt, body=item.body,
        status=Post.Status.PUBLISHED, featured=item.featured,
        published_at=timezone.now() - timedelta(days=item.days_ago, hours=seed),
        visibility=Post.Visibility.MEMBERS if item.members_only else Post.Visibility.PUBLIC,
        hero_alt=item.hero_alt, hero_caption=item.caption,
    )  # fmt: skip
    image = art.draw(seed, item.palette, bars=seed % 3 == 0)
    post.hero_image.save(f"{item.slug}.jpg", ContentFile(image), save=False)
    # Stored, as uploads store it: a post without them opens its image on every load.
    post.hero_width, post.hero_height = images.upright_size(image)
    services.post_render_body(post=post)
    post.save()
    users = [profiles[name].user for name in (item.author, *item.extra_authors)]
    services.post_link_authors(post=post, users=users)
    services.post_set_tags(post=post, tags=[tags[slug] for slug in item.tags])
    services.post_after_save(post=post, old_slug=None, hero_changed=True)
    return True


def demo_missing() -> DemoResult:
    """What ``demo_load`` would create, touching nothing (no rows, no files)."""
    usernames = [a.username for a in AUTHORS]
    have_profiles = AuthorProfile.objects.filter(user__username__in=usernames).count()
    have_tags = Tag.objects.filter(slug__in=TAGS).count()
    have_posts = Post.objects.filter(slug__in=[p.slug for p in ALL_POSTS]).count()
    return DemoResult(
        authors=len(AUTHORS) - have_profiles,
        tags=len(TAGS) - have_tags,
        posts=len(ALL_POSTS) - have_posts,
    )


def demo_load() -> DemoResult:
    """Create whatever demo rows are missing, in one transaction."""
    result = DemoResult()
    with transaction.atomic():
        profiles, result.authors = _authors()
        tags, result.tags = _tags()
        for seed, item in enumerate(ALL_POSTS, start=1):
            result.posts += _post(item, seed, profiles, tags)
        if result.posts:
            services.posts_related_refresh(everything=True)  # no worker needed to see them
    return result
