"""The publication's content: posts, tags, author profiles and old-slug redirects.

Derived fields (``body_html``, ``toc``, ``reading_time``, hero renditions) are written by
``masthead.blog.services`` when a post is saved through the admin or the demo loader,
never in ``save()``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from masthead.core.models import TimeStampedModel


class Tag(TimeStampedModel):
    """A topic. A post's first tag is its primary tag, shown as the category."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class AuthorProfile(TimeStampedModel):
    """The public face of a user who writes: name, page slug, bio and avatar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_profile"
    )
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True, help_text="Plain text; shown on the author page.")
    avatar = models.ImageField(upload_to="blog/avatars/", blank=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("blog:author", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        """Visible to readers: published, or scheduled with a publish time already past
        (``Post.is_live`` asks the same of one loaded post)."""
        return self.filter(status__in=Post.LIVE_STATUSES, published_at__lte=timezone.now())


class Post(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Everyone"
        MEMBERS = "members", "Members only"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    excerpt = models.TextField(max_length=500, blank=True)
    body = models.TextField(blank=True, help_text="Markdown. `::: tool ocr` places a tool card.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    reading_time = models.PositiveSmallIntegerField(default=1, editable=False)

    hero_image = models.ImageField(
        upload_to="blog/hero/", blank=True, width_field="hero_width", height_field="hero_height"
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(max_length=250, blank=True)
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_renditions = models.JSONField(default=list, blank=True, editable=False)
    # The ids of the posts shown under this one, best first: ranked by
    # services.posts_related_refresh when tags or publication change (ADR 0107).
    related_ids = models.JSONField(default=list, blank=True, editable=False)
    # Visible comments, written by masthead.comments on every change (JSON-LD commentCount).
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="posts", blank=True)
    tags = models.ManyToManyField(Tag, through="PostTag", related_name="posts", blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    featured = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    meta_title = models.CharField(max_length=200, blank=True)
    meta_description = models.CharField(max_length=300, blank=True)
    canonical_url = models.URLField(blank=True, help_text="Only when the post first ran elsewhere.")

    # Raised by blog.pieces.touch whenever something its page shows changes (its own edits,
    # its tags and authors, the cards of the posts it shows, its comment count): the page's
    # pieces kept beside it (PostPiece) are valid only for the version they were built at.
    pieces_version = models.PositiveIntegerField(default=0, editable=False)

    # Raised by one on every save through the newsroom; a save that names an older version
    # is refused (a second editor's work is never overwritten silently).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PostQuerySet.as_manager()

    LIVE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The home page's featured posts, newest first, without sorting every post.
            models.Index(fields=["featured", "published_at"], name="blog_post_featured_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:post", kwargs={"slug": self.slug})

    def is_live(self, now: Any = None) -> bool:
        """What ``Post.objects.published()`` selects, asked of this row: for a few posts
        loaded by primary key, where SQLite would answer ``published()`` by scanning its
        status index over every live post (ADR 0108)."""
        now = now or timezone.now()
        return (
            self.status in self.LIVE_STATUSES
            and self.published_at is not None
            and self.published_at <= now
        )

    @property
    def is_members_only(self) -> bool:
        return self.visibility == self.Visibility.MEMBERS

    @property
    def ordered_tags(self) -> list[Tag]:
        """Tags in editor order; uses the prefetch ``post_tags`` when present."""
        return [link.tag for link in self.post_tags.all()]

    @property
    def primary_tag(self) -> Tag | None:
        tags = self.ordered_tags
        return tags[0] if tags else None

    @property
    def author_profiles(self) -> list[Any]:
        """Author profiles in the order the authors were added: the first is the primary
        author (as the Content API's ``primary_author`` filter reads it). Uses the prefetch
        of ``authors_in_order`` when present."""
        prefetched = "authors" in getattr(self, "_prefetched_objects_cache", {})
        users = self.authors.all() if prefetched else authors_in_order(self.authors.all())
        profiles = []
        for user in users:
            profile = getattr(user, "author_profile", None)
            if profile is not None:
                profiles.append(profile)
        return profiles


class PostTag(models.Model):
    """A tag on a post, in the editor's order (position 0 is the primary tag)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="post_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="blog_post_tag_once")]

    def __str__(self) -> str:
        """The tag's name (the admin's tag rows show it); the category is marked."""
        return f"{self.tag.name} (category)" if self.position == 0 else self.tag.name


class SlugRedirect(TimeStampedModel):
    """A slug a post used to have; requests for it redirect (301) to the post."""

    old_slug = models.SlugField(max_length=200, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self) -> str:
        return f"{self.old_slug} -> {self.post_id}"


class PostRevision(models.Model):
    """The post's words as one save left them (title, excerpt, body).

    Autosaves by the same person within ``services.REVISION_MERGE_SECONDS`` update their
    latest autosave revision instead of adding one, so a morning's typing is a handful of
    revisions, not thousands; every explicit save, publish and restore adds one.
    """

    class Kind(models.TextChoices):
        AUTOSAVE = "autosave", "Autosave"
        SAVE = "save", "Saved"
        PUBLISH = "publish", "Published"
        RESTORE = "restore", "Restored"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVE)
    title = models.CharField(max_length=200)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["post", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.version} ({self.kind})"


class PostPiece(models.Model):
    """A piece of a post's public page kept beside the post (ADR 0025): one row per piece
    and audience variant, valid while ``stamp`` matches ``blog.pieces.PostShelf.stamp``."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    stamp = models.CharField(max_length=64)
    html = models.TextField()
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "name"], name="blog_postpiece_one_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} of {self.post_id}"


class PreviewLink(models.Model):
    """A secret address at which anyone holding it can read a draft until it expires."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"preview of {self.post_id}"

    def get_absolute_url(self) -> str:
        return reverse("blog:preview", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class BodyImage(models.Model):
    """An image placed in a post's body, with its renditions (made on upload)."""

    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="body_images"
    )
    file = models.ImageField(upload_to="blog/body/")
    width = models.PositiveIntegerField()  # of the upload, after EXIF rotation
    height = models.PositiveIntegerField()
    renditions = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file.name or f"image {self.pk}"


def authors_in_order(users: QuerySet[Any]) -> QuerySet[Any]:
    """``users`` (a post's authors, or a prefetch of them) in the order they were added.

    The authors' link table has no order column; its row id is the order of addition. A
    query without an ORDER BY returns them in whatever order the engine likes (PostgreSQL
    varies it), which let the page, the API's ``authors`` list and its ``primary_author``
    filter disagree. Both the related manager and a prefetch join the link table under its
    own name, so the ordering names it directly.
    """
    table = Post.authors.through._meta.db_table
    return users.extra(order_by=[f"{table}.id"])  # the model's own table name, no input
