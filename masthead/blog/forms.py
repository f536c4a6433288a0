"""The editor's post form: the rules a post must satisfy before it is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from masthead.blog import images, markdown
from masthead.blog.models import Post

# Top-level paths other pages use; a post slug may not shadow them.
RESERVED_SLUGS = frozenset(
    {
        "accounts", "admin", "api", "archive", "author", "blog", "feed", "healthz", "llms",
        "media", "newsletter", "newsroom", "preview", "readyz", "robots", "search", "sitemap",
        "static", "tag", "tools",
    }
)  # fmt: skip


class PostAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Post
        fields = [
            "title", "slug", "excerpt", "body", "authors", "hero_image", "hero_alt",
            "hero_caption", "status", "published_at", "featured", "visibility",
            "meta_title", "meta_description", "canonical_url",
        ]  # fmt: skip

    rendered_body: markdown.Rendered | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "body" in self.fields:  # the live preview warns before sending a body too large
            limit = markdown.Limits.from_settings().max_bytes
            self.fields["body"].widget.attrs["data-max-bytes"] = str(limit)

    def clean_body(self) -> str:
        """Render the body now, so a body over the size or time limit is a form error and
        nothing is stored; the admin saves this rendering."""
        body: str = self.cleaned_data["body"]
        try:
            self.rendered_body = markdown.render(body)
        except markdown.MarkdownRefused as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return body

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is used by another page; pick another slug.")
        return slug

    def clean_hero_image(self) -> Any:
        """Refuse images too large to resize before anything is stored."""
        image = self.cleaned_data.get("hero_image")
        pillow = getattr(image, "image", None)  # set by ImageField for a fresh upload
        if pillow is not None and pillow.width * pillow.height > images.MAX_PIXELS:
            raise forms.ValidationError(
                f"This image is {pillow.width}x{pillow.height} pixels; the limit is "
                f"{images.MAX_PIXELS:,} pixels. Resize it and upload again."
            )
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, when = data.get("status"), data.get("published_at")
        if status == Post.Status.SCHEDULED:
            if when is None:
                self.add_error("published_at", "A scheduled post needs a publish time.")
            elif when <= timezone.now():
                self.add_error("published_at", "Pick a time in the future, or choose Published.")
        return data
