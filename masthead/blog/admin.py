"""Editors' screens: posts with live Markdown preview, tags and author profiles.

Saving a post runs the blog services (render, reading time, slug history, renditions,
search index); the preview endpoint runs the same renderer without saving.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from masthead import errors
from masthead.blog import images, markdown, pieces, selectors, services, signals
from masthead.blog.forms import PostAdminForm
from masthead.blog.models import AuthorProfile, Post, PostTag, Tag
from masthead.core import pagecache
from masthead.members.admin import PostChildRoleMixin, PostRoleAdminMixin


class PostTagInline(PostChildRoleMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = PostTag
    extra = 1
    autocomplete_fields = ["tag"]
    fields = ["tag", "position"]
    verbose_name = "tag"
    verbose_name_plural = "Tags: the one at position 0 is the category"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PostTag]:
        return super().get_queryset(request).select_related("tag")  # rows are named by tag


@admin.register(Post)
class PostAdmin(PostRoleAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    form = PostAdminForm
    list_display = ["title", "status", "published_at", "featured", "visibility", "reading_time"]
    list_filter = ["status", "featured", "visibility", "tags"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    inlines = [PostTagInline]
    actions = ["publish", "unpublish", "feature", "unfeature"]
    readonly_fields = ["reading_time"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body", "authors"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured", "visibility"]}),
        ("Search and sharing", {"fields": ["meta_title", "meta_description", "canonical_url"]}),
        ("Computed", {"fields": ["reading_time"]}),
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """The author picker lists staff by the name readers see, not every username."""
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("authors")
        if isinstance(field, ModelMultipleChoiceField):
            field.queryset = selectors.author_choices(post=obj)
            field.label_from_instance = selectors.author_label  # type: ignore[method-assign,assignment]
        return form

    class Media:
        js = ["blog/admin_preview.js"]
        css = {"all": ["blog/admin_preview.css"]}

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        stored = Post.objects.filter(pk=obj.pk).first() if obj.pk else None
        old_slug = stored.slug if stored is not None else None
        services.post_prepare_status(post=obj)
        services.post_render_body(post=obj, rendered=getattr(form, "rendered_body", None))
        super().save_model(request, obj, form, change)
        # The admin's change view is one transaction: receivers' rows commit with the post.
        signals.post_changed_send(
            post=obj, before=signals.post_snapshot(stored) if stored is not None else None
        )
        try:
            services.post_after_save(
                post=obj, old_slug=old_slug, hero_changed="hero_image" in form.changed_data
            )
        except images.HeroImageError as error:
            self.message_user(request, str(error), messages.ERROR)

    def delete_model(self, request: HttpRequest, obj: Post) -> None:
        self.delete_queryset(request, Post.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        services.post_search_remove(post_ids=ids)
        services.posts_related_changed(post_ids=[], tag_ids=_tag_ids(ids))
        pieces.touch(pieces.posts_showing(ids), showing=False)  # their cards of these go
        super().delete_queryset(request, queryset)
        pagecache.bump()  # off the lists at once

    @admin.action(description="Publish selected posts")
    def publish(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = services.posts_set_status(posts=queryset, status=Post.Status.PUBLISHED)
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected posts (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = services.posts_set_status(posts=queryset, status=Post.Status.DRAFT)
        self.message_user(request, f"Unpublished {count} post(s).", messages.SUCCESS)

    @admin.action(description="Feature selected posts")
    def feature(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = services.posts_set_featured(posts=queryset, featured=True)
        self.message_user(request, f"Featured {count} post(s).", messages.SUCCESS)

    @admin.action(description="Stop featuring selected posts")
    def unfeature(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = services.posts_set_featured(posts=queryset, featured=False)
        self.message_user(request, f"Unfeatured {count} post(s).", messages.SUCCESS)

    def get_urls(self) -> list[URLPattern]:
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="blog_post_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """Render Markdown exactly as saving would, within the same limits; nothing stored.

        Only for those who may write a post (an author's draft, an editor's any post):
        other staff have no use for the renderer. A refusal answers with the site's error
        envelope (``masthead.errors.envelope``): 413 for a body over ``MASTHEAD_POST_MAX_BYTES``,
        422 for one that takes longer than the render limit.
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        try:
            rendered = markdown.render(request.POST.get("body", ""))
        except markdown.MarkdownRefused as error:
            return errors.envelope(error.status, error.code, error.message)
        minutes = markdown.reading_minutes(words=rendered.word_count, images=rendered.image_count)
        return JsonResponse({"html": rendered.html, "reading_time": minutes, "toc": rendered.toc})


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        pieces.touch(pieces.posts_of(tag_ids=[obj.pk]))
        pagecache.bump()

    def delete_model(self, request: HttpRequest, obj: Tag) -> None:
        self.delete_queryset(request, Tag.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Tag]) -> None:
        # The posts that carried these tags share fewer with others now.
        tagged = list(PostTag.objects.filter(tag__in=queryset).values_list("post_id", flat=True))
        services.posts_related_changed(post_ids=tagged)
        pieces.touch(tagged)
        super().delete_queryset(request, queryset)
        pagecache.bump()


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["display_name", "slug", "user"]
    search_fields = ["display_name", "slug", "user__email", "user__username"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]

    # Bylines, author boxes and cards show the name and avatar: pieces built with the old
    # ones must go at once, as for a renamed tag.
    def save_model(self, request: HttpRequest, obj: AuthorProfile, form: Any, change: bool) -> None:
        # A profile moved to another user leaves the first one's posts without a byline.
        before = AuthorProfile.objects.filter(pk=obj.pk).values_list("user_id", flat=True)
        users = {obj.user_id, *before} if obj.pk else {obj.user_id}
        super().save_model(request, obj, form, change)
        pieces.touch(pieces.posts_of(user_ids=users))
        pagecache.bump()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AuthorProfile]) -> None:
        pieces.touch(pieces.posts_of(user_ids=queryset.values_list("user_id", flat=True)))
        super().delete_queryset(request, queryset)
        pagecache.bump()

    def delete_model(self, request: HttpRequest, obj: AuthorProfile) -> None:
        self.delete_queryset(request, AuthorProfile.objects.filter(pk=obj.pk))


def _tag_ids(post_ids: list[int]) -> list[int]:
    """The tags of posts about to be deleted: their other posts' related lists change."""
    return list(PostTag.objects.filter(post_id__in=post_ids).values_list("tag_id", flat=True))
