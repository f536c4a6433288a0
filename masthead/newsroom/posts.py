"""The newsroom's writing pages: post list, editor, autosave, images, preview, publishing,
revisions and preview links.

Views parse, check the role, call one ``masthead.blog.services`` function and answer.
Roles (``masthead.members.roles``): an author edits only their own drafts; editors and
admins edit every post and are the only ones who publish, schedule, unpublish, feature or
change who may read a post. JSON endpoints answer refusals with the site's one error
envelope (``masthead.errors.envelope``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from masthead import errors, ocr
from masthead.blog import markdown, selectors, seo, services
from masthead.blog.forms import RESERVED_SLUGS
from masthead.blog.models import Post, PostRevision, PreviewLink, Tag
from masthead.blog.views import post_unpublished_response, staff_note
from masthead.errors import MastheadError
from masthead.members import roles
from masthead.newsletter import emails as newsletter_emails
from masthead.newsletter import posts as newsletter_posts
from masthead.newsletter import selectors as newsletter_selectors
from masthead.newsletter import sending as newsletter_sending
from masthead.newsletter.issues import post_email_preview
from masthead.newsletter.models import Issue, PostSendIntent
from masthead.newsroom import access
from masthead.tools import registry

View = Callable[..., HttpResponse]
UPLOAD_SLACK = 64 * 1024  # multipart framing and the alt text around the image bytes


def staff_only(view: View) -> View:
    """The newsroom's gate (``access.staff_required``); a post-level refusal (an author
    opening someone else's post) is the newsroom's 403 page, or the JSON envelope."""

    @wraps(view)
    def refusing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            message = str(denied) or "Your role does not allow this."
            if request.content_type == "application/json" or "json" in request.headers.get(
                "Accept", ""
            ):
                return errors.envelope(403, "forbidden", message)
            return access.refuse(request, message)

    return access.staff_required(refusing)


def _editable(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(Post, pk=pk)
    if not roles.can_edit_post(request.user, post):
        raise PermissionDenied(
            "You can edit only your own drafts. Ask an editor to change this post."
        )
    return post


def _viewable(request: HttpRequest, pk: int) -> Post:
    if not request.user.has_perm("blog.view_post"):
        raise PermissionDenied("Your role cannot open posts.")
    return get_object_or_404(Post, pk=pk)


def _edit_url(post: Post) -> str:
    return reverse("newsroom:post_edit", kwargs={"pk": post.pk})


def _refusal(error: MastheadError | ocr.OcrError) -> JsonResponse:
    return errors.envelope(errors.status_for(error), error.code, error.message)


# --- list and create ----------------------------------------------------------------------

FILTERS = {
    "all": Q(),
    "drafts": Q(status=Post.Status.DRAFT),
    "scheduled": Q(status=Post.Status.SCHEDULED),
    "published": Q(status=Post.Status.PUBLISHED),
}


@staff_only
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("blog.view_post"):
        raise PermissionDenied("Your role cannot open posts.")
    show = request.GET.get("show", "all")
    posts = (
        Post.objects.filter(FILTERS.get(show, Q()))
        .prefetch_related("authors__author_profile")
        .defer("body", "body_html")
        .order_by("-updated_at")[:200]
    )
    rows = [(post, roles.can_edit_post(request.user, post)) for post in posts]
    context = {"rows": rows, "show": show, "filters": list(FILTERS), "section": "posts"}
    return render(request, "newsroom/posts/post_list.html", context)


@staff_only
@require_POST
def post_new(request: HttpRequest) -> HttpResponse:
    if not (request.user.has_perm("blog.add_post") and roles.roles_of(request.user)) and not (
        request.user.is_superuser
    ):
        raise PermissionDenied("Your role cannot write posts.")
    post = services.post_create_draft(by=request.user, title=request.POST.get("title", ""))
    return HttpResponseRedirect(_edit_url(post))


# --- the editor ---------------------------------------------------------------------------


def can_email(user: Any) -> bool:
    """Who may send a post by email: editors and admins holding the newsletter's
    permission (the same one the admin's "email this post" actions require)."""
    return roles.can_publish(user) and bool(user.has_perm("newsletter.add_issue"))


def _post_issue(post: Post) -> Issue | None:
    return Issue.objects.filter(kind=Issue.Kind.POST, post=post).first()


def _email_context(request: HttpRequest, post: Post) -> dict[str, Any]:
    issue = _post_issue(post)
    return {
        "can_email": can_email(request.user),
        "email_issue": issue,
        "email_intent": PostSendIntent.objects.filter(post=post).first(),
        "email_figures": newsletter_selectors.issue_figures(issue=issue) if issue else None,
        "email_audiences": Issue.Audience.choices,
        "is_live": Post.objects.published().filter(pk=post.pk).exists(),
    }


def _editor_context(request: HttpRequest, post: Post, **extra: Any) -> dict[str, Any]:
    meta = seo.for_post(post=post)
    links = list(post.preview_links.all()[:10])
    current_authors = list(post.authors.select_related("author_profile", "profile"))
    return {
        **_email_context(request, post),
        "author_options": (
            [(user.pk, user.picker_label) for user in selectors.author_choices(post=post)]
            if roles.can_publish(request.user)
            else []
        ),
        "author_ids": {user.pk for user in current_authors},
        "author_names": [selectors.author_label(user) for user in current_authors],
        "post": post,
        "meta_preview": meta,
        "site_url": settings.SITE_URL,
        "site_address": seo.absolute(post.get_absolute_url()),
        "tools": registry.all_tools(),
        "can_publish": roles.can_publish(request.user),
        "statuses": Post.Status,
        "visibilities": Post.Visibility.choices,
        "tags_text": ", ".join(tag.name for tag in post.ordered_tags),
        "preview_links": [(link, seo.absolute(link.get_absolute_url())) for link in links],
        "max_bytes": settings.MASTHEAD_POST_MAX_BYTES,
        "word_count": len(markdown.plain_text(post.body_html).split()),
        "time_zone": timezone.get_current_timezone_name(),
        "preview_days": settings.MASTHEAD_PREVIEW_LINK_DAYS,
        "site_domain": urlsplit(settings.SITE_URL).netloc,
        "section": "posts",
        "image_max_mb": f"{settings.MASTHEAD_BODY_IMAGE_MAX_BYTES / 1_000_000:g}",  # ADR 0412
        "local_publish_at": (
            timezone.localtime(post.published_at).strftime("%Y-%m-%dT%H:%M")
            if post.published_at
            else ""
        ),
        **extra,
    }


SITE_CSP = cast("dict[str, list[str]]", settings.SECURE_CSP)
# CodeMirror adds its styles as <style> elements: allowed on this page by its nonce.
EDITOR_CSP: dict[str, list[str]] = {**SITE_CSP, "style-src": [CSP.SELF, CSP.NONCE]}
# The preview pane is the post page inside the editor page (same origin only).
FRAMED_CSP: dict[str, list[str]] = {**SITE_CSP, "frame-ancestors": [CSP.SELF]}


@staff_only
@csp_override(EDITOR_CSP)
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The writing surface. A POST is the no-script Save: the same version-checked save."""
    post = _editable(request, pk)
    if request.method != "POST":
        return render(request, "newsroom/posts/post_edit.html", _editor_context(request, post))
    try:
        fields = _draft_fields(request.POST)
        services.post_save_draft(
            post_id=post.pk, version=_version(request.POST.get("version")), by=request.user,
            fields=fields,
        )  # fmt: skip
    except MastheadError as error:
        for name, value in _draft_fields(request.POST, check=False).items():
            setattr(post, name, value)  # show what was typed, not what is stored
        context = _editor_context(request, post, error=error.message)
        return render(request, "newsroom/posts/post_edit.html", context, status=error.status)
    messages.success(request, "Saved.")
    return HttpResponseRedirect(_edit_url(post))


def _version(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise MastheadError(
            "bad_version", "The form lacked its version number. Reload the page.", status=400
        ) from None


def _draft_fields(data: Any, *, check: bool = True) -> dict[str, str]:
    """Title, excerpt and body from a form or JSON body, within the model's lengths."""
    fields = {name: str(data.get(name, "") or "") for name in services.DRAFT_FIELDS}
    fields["title"] = fields["title"].strip() or "Untitled"
    if check:
        if len(fields["title"]) > 200:
            raise MastheadError(
                "title_too_long", "The title is over 200 characters; shorten it.", status=400
            )
        if len(fields["excerpt"]) > 500:
            raise MastheadError(
                "excerpt_too_long", "The excerpt is over 500 characters; shorten it.", status=400
            )
    return fields


@staff_only
@require_POST
def post_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save the words (JSON in, JSON out); 409 if someone saved since ``version``."""
    post = _editable(request, pk)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        return errors.envelope(400, "bad_json", "The editor sent something unreadable.")
    try:
        saved = services.post_save_draft(
            post_id=post.pk, version=_version(data.get("version")), by=request.user,
            fields=_draft_fields(data), kind=PostRevision.Kind.AUTOSAVE,
        )  # fmt: skip
    except MastheadError as error:
        return _refusal(error)
    rendered_words = len(markdown.plain_text(saved.body_html).split())
    return JsonResponse(
        {
            "ok": True,
            "version": saved.version,
            "saved_at": saved.updated_at.isoformat(),
            "word_count": rendered_words,
            "reading_time": saved.reading_time,
        }
    )


@staff_only
@require_GET
@xframe_options_sameorigin
@csp_override(FRAMED_CSP)
def post_preview_frame(request: HttpRequest, pk: int) -> HttpResponse:
    """The saved draft in the post page's own template and CSS (the editor's preview pane)."""
    post = _viewable(request, pk)
    post = selectors.post_get_any(pk=post.pk)
    return post_unpublished_response(request, post, staff_note(post))


@staff_only
@require_GET
@csp_override(
    {
        "default-src": [CSP.NONE],
        "style-src": [CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:", settings.SITE_URL],
        "frame-ancestors": [CSP.SELF],
        "base-uri": [CSP.NONE],
        "form-action": [CSP.NONE],
    }
)
def post_email(request: HttpRequest, pk: int) -> HttpResponse:
    """The weekly email with this post in it, as subscribers' mail apps will show it.
    Email HTML carries its styles inline, so this page alone allows inline styles (no
    scripts run here)."""
    post = selectors.post_get_any(pk=_viewable(request, pk).pk)
    response = HttpResponse(post_email_preview(post))
    response["X-Robots-Tag"] = "noindex"
    return response


# --- images ---------------------------------------------------------------------------------


class ImageForm(forms.Form):
    file = forms.FileField()
    alt = forms.CharField(max_length=250, required=False, strip=True)


@staff_only
@require_POST
def post_image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store an image for the body; answers the Markdown to insert (JSON), or, for the
    no-script form, goes back to the editor with it in a message."""
    post = _editable(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    limit = settings.MASTHEAD_BODY_IMAGE_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit + UPLOAD_SLACK:
            raise ocr.FileTooLargeError(declared, limit)
        form = ImageForm(request.POST, request.FILES)
        if not form.is_valid():
            raise MastheadError("no_file", "Choose an image file to upload.", status=400)
        upload = form.cleaned_data["file"]
        ocr.check_upload_size(upload.size, ocr.Limits(max_bytes=limit))
        image = services.body_image_create(
            data=upload.read(), filename=upload.name or "image", by=request.user, post=post
        )
    except (MastheadError, ocr.OcrError) as error:
        if wants_json:
            return _refusal(error)
        messages.error(request, error.message)
        return HttpResponseRedirect(_edit_url(post))
    alt = form.cleaned_data["alt"].replace("]", "").replace("[", "")
    snippet = f"![{alt}]({image.file.url})"
    if wants_json:
        return JsonResponse(
            {"ok": True, "markdown": snippet, "url": image.file.url,
             "width": image.width, "height": image.height},
            status=201,
        )  # fmt: skip
    messages.success(request, f"Image uploaded. Paste this line into the body: {snippet}")
    return HttpResponseRedirect(_edit_url(post))


class HeroForm(forms.Form):
    file = forms.FileField(required=False)
    alt = forms.CharField(max_length=250, required=False, strip=True)
    caption = forms.CharField(max_length=300, required=False, strip=True)
    remove = forms.BooleanField(required=False)


HERO_LABELS = {"file": "Image", "alt": "Alt text", "caption": "Caption"}


def _hero_json(post: Post, status: int = 200) -> JsonResponse:
    hero = post.hero_image
    return JsonResponse(
        {"ok": True, "url": hero.url if hero else "", "alt": post.hero_alt,
         "caption": post.hero_caption, "width": post.hero_width, "height": post.hero_height,
         "reading_time": post.reading_time},
        status=status,
    )  # fmt: skip


def _hero_change(request: HttpRequest, post: Post) -> tuple[Post, str]:
    """Apply the hero form: remove, replace (a file) or new alt text and caption."""
    limit = settings.MASTHEAD_BODY_IMAGE_MAX_BYTES
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit + UPLOAD_SLACK:
        raise ocr.FileTooLargeError(declared, limit)
    form = HeroForm(request.POST, request.FILES)
    if not form.is_valid():
        field, problems = next(iter(form.errors.items()))
        message = " ".join(str(problem) for problem in problems)
        raise MastheadError("bad_hero", f"{HERO_LABELS.get(field, field)}: {message}", status=400)
    data = form.cleaned_data
    if data["remove"]:
        return services.post_hero_remove(post=post), "Hero image removed."
    upload = data["file"]
    if upload is None and not post.hero_image:
        raise MastheadError("no_file", "Choose an image file for the hero.", status=400)
    if upload is not None:
        ocr.check_upload_size(upload.size, ocr.Limits(max_bytes=limit))
    saved = services.post_hero_set(
        post=post, data=upload.read() if upload else None,
        filename=upload.name if upload else "", alt=data["alt"], caption=data["caption"],
    )  # fmt: skip
    return saved, "Hero image saved." if upload else "Hero alt text and caption saved."


@staff_only
@require_POST
def post_hero(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose, replace or remove the post's hero image (JSON for the editor's script, a
    redirect with a message for the plain form). Authors: their own drafts only."""
    post = _editable(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        saved, message = _hero_change(request, post)
    except (MastheadError, ocr.OcrError) as error:
        if wants_json:
            return _refusal(error)
        messages.error(request, f"The hero image was not changed: {error.message}")
        return HttpResponseRedirect(_edit_url(post) + "#hero")
    if wants_json:
        return _hero_json(saved)
    messages.success(request, message)
    return HttpResponseRedirect(_edit_url(post) + "#hero")


# --- settings, SEO and publishing --------------------------------------------------------


class SettingsForm(forms.Form):
    slug = forms.SlugField(max_length=200)
    tags = forms.CharField(max_length=500, required=False)
    meta_title = forms.CharField(max_length=200, required=False)
    meta_description = forms.CharField(max_length=300, required=False)
    canonical_url = forms.URLField(required=False, assume_scheme="https")
    authors = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),  # set per post in __init__
        required=False,
        error_messages={
            "invalid_choice": "One of the chosen authors is not on the staff list; pick again.",
            "invalid_pk_value": "One of the chosen authors is not on the staff list; pick again.",
        },
    )

    def __init__(self, *args: Any, post: Post, may_set_authors: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        self.may_set_authors = may_set_authors
        picker = cast("forms.ModelMultipleChoiceField[Any]", self.fields["authors"])
        picker.queryset = selectors.author_choices(post=post)

    def clean_authors(self) -> list[Any] | None:
        """None: leave the authors as they are. Editors and admins name anyone on the staff
        list (at least one person). An author's own form carries no picker; if it sends
        one anyway, it must name exactly the current authors: an author neither removes
        themselves from their draft nor adds someone else to it."""
        if "authors" not in self.data:
            return None
        chosen = list(self.cleaned_data["authors"])
        if not self.may_set_authors:
            current = set(self.post.authors.values_list("pk", flat=True))
            if {user.pk for user in chosen} != current:
                raise forms.ValidationError(
                    "Only editors and admins change who wrote a post; ask an editor."
                )
            return None
        if not chosen:
            raise forms.ValidationError("A post needs at least one author.")
        return chosen

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is used by another page; pick another.")
        if Post.objects.filter(slug=slug).exclude(pk=self.post.pk).exists():
            raise forms.ValidationError(f"Another post already uses “{slug}”.")
        return slug

    def clean_tags(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["tags"].split(",")]
        return list(dict.fromkeys(name for name in names if name))[:12]


def _tags_for(names: list[str], user: Any) -> list[Tag]:
    found = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=names)}
    for tag in Tag.objects.all():  # case-insensitive match on the few tags a site has
        found.setdefault(tag.name.lower(), tag)
    missing = [name for name in names if name.lower() not in found]
    if missing and not user.has_perm("blog.add_tag"):
        raise MastheadError(
            "unknown_tag",
            f"There is no tag “{missing[0]}”. Pick an existing tag or ask an editor to add it.",
            status=400,
        )
    return [found.get(name.lower()) or services.tag_create(name=name) for name in names]


@staff_only
@require_POST
def post_settings(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    form = SettingsForm(request.POST, post=post, may_set_authors=roles.can_publish(request.user))
    if not form.is_valid():
        for field_errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in field_errors))
        return HttpResponseRedirect(_edit_url(post) + "#settings")
    data = dict(form.cleaned_data)
    authors = data.pop("authors")
    try:
        tags = _tags_for(data.pop("tags"), request.user)
        saved = services.post_save_draft(
            post_id=post.pk, version=_version(request.POST.get("version")), by=request.user,
            fields={**data, **{name: getattr(post, name) for name in services.DRAFT_FIELDS}},
        )  # fmt: skip
    except MastheadError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(_edit_url(post) + "#settings")
    services.post_set_tags(post=saved, tags=tags)
    if authors is not None:
        services.post_set_authors(post=saved, authors=authors)
    messages.success(request, "Settings saved.")
    return HttpResponseRedirect(_edit_url(post) + "#settings")


class PublishForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("publish", "schedule", "unpublish", "update")]
    )
    publish_at = forms.DateTimeField(
        required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    featured = forms.BooleanField(required=False)
    visibility = forms.ChoiceField(choices=Post.Visibility.choices)
    email_to = forms.ChoiceField(choices=[("", "nobody"), *Issue.Audience.choices], required=False)


@staff_only
@require_POST
def post_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish now, schedule, unpublish, feature, members-only: editors and admins only."""
    post = _viewable(request, pk)
    if not roles.can_publish(request.user):
        raise PermissionDenied(
            "Only editors and admins publish, schedule or unpublish. Your draft is saved: "
            "ask an editor to review and publish it."
        )
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a valid time (and audience) to publish.")
        return HttpResponseRedirect(_edit_url(post) + "#publish")
    data = form.cleaned_data
    when: datetime | None = data["publish_at"]
    email_to: str = data["email_to"]
    if email_to and not can_email(request.user):
        raise PermissionDenied("Your role does not send posts by email.")
    action = data["action"]
    issue = intent = None
    try:
        with transaction.atomic():  # a refused email leaves the post as it was
            services.post_publish_state(
                post=post, by=request.user, action=data["action"], when=when,
                featured=data["featured"], visibility=data["visibility"],
            )  # fmt: skip
            if action == "publish" and email_to:
                newsletter_posts.send_intent_clear(post=post)
                issue = newsletter_posts.send_post(post=post, audience=email_to)
            elif action == "schedule" and email_to:
                intent = newsletter_posts.send_intent_set(post=post, audience=email_to)
            elif action in ("schedule", "unpublish") and can_email(request.user):
                newsletter_posts.send_intent_clear(post=post)  # the form showed "nobody"
    except MastheadError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(_edit_url(post) + "#publish")
    except (newsletter_posts.PostNotSendableError, newsletter_emails.UnsafeHeaderError) as error:
        verb = "scheduled" if action == "schedule" else "published"
        messages.error(request, f"{_send_refusal(error)} The post was not {verb}.")
        return HttpResponseRedirect(_edit_url(post) + "#publish")
    message = _published_message(post)
    if issue is not None:
        message += f" Emailing it to {_people(issue.recipients)}."
    elif intent is not None:
        message += f" It will be emailed to {intent.get_audience_display().lower()} then."
    messages.success(request, message)
    return HttpResponseRedirect(_edit_url(post) + "#publish")


def _people(count: int) -> str:
    return f"{count} subscriber{'' if count == 1 else 's'}"


def _send_refusal(error: Exception) -> str:
    if isinstance(error, newsletter_emails.UnsafeHeaderError):
        return "The title has a line break, which an email subject cannot carry: edit the title."
    return str(error)


class SendForm(forms.Form):
    audience = forms.ChoiceField(choices=Issue.Audience.choices)
    confirm = forms.BooleanField(required=False)


@staff_only
def post_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Email an already published post, once. The first POST (without ``confirm``) shows
    a confirmation page naming how many people will get it; the second sends."""
    post = _viewable(request, pk)
    if not can_email(request.user):
        raise PermissionDenied("Only editors and admins with the newsletter permission send posts.")
    if request.method != "POST":
        return HttpResponseRedirect(_edit_url(post) + "#publish")
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who gets the email: every subscriber or members.")
        return HttpResponseRedirect(_edit_url(post) + "#publish")
    audience = form.cleaned_data["audience"]
    if not form.cleaned_data["confirm"]:
        count = newsletter_sending.recipients_of(Issue(audience=audience)).count()
        context = {
            "post": post,
            "audience": audience,
            "audience_label": Issue.Audience(audience).label.lower(),
            "count": count,
            "already_sent": _post_issue(post) is not None,
            "section": "posts",
        }
        return render(request, "newsroom/posts/post_send_confirm.html", context)
    try:
        with transaction.atomic():
            issue = newsletter_posts.send_post(post=post, audience=audience)
            newsletter_posts.send_intent_clear(post=post)
    except (newsletter_posts.PostNotSendableError, newsletter_emails.UnsafeHeaderError) as error:
        messages.error(request, f"{_send_refusal(error)} Nothing was sent.")
        return HttpResponseRedirect(_edit_url(post) + "#publish")
    messages.success(request, f"Emailing “{post.title}” to {_people(issue.recipients)}.")
    return HttpResponseRedirect(_edit_url(post) + "#publish")


def _published_message(post: Post) -> str:
    if post.status == Post.Status.SCHEDULED and post.published_at:
        when = timezone.localtime(post.published_at).strftime("%d %b %Y at %H:%M")
        return f"Scheduled for {when}."
    if post.status == Post.Status.PUBLISHED:
        return "Published. It is live on the site."
    return "Unpublished: the post is a draft again."


# --- preview links ---------------------------------------------------------------------------


@staff_only
@require_POST
def preview_link_new(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable(request, pk)
    services.preview_link_create(post=post, by=request.user)
    messages.success(request, "Preview link created. Anyone with it can read this draft.")
    return HttpResponseRedirect(_edit_url(post) + "#share")


@staff_only
@require_POST
def preview_link_revoke(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    post = _editable(request, pk)
    link = get_object_or_404(PreviewLink, pk=link_id, post=post)
    services.preview_link_revoke(link=link)
    messages.success(request, "Preview link turned off.")
    return HttpResponseRedirect(_edit_url(post) + "#share")


# --- revisions ------------------------------------------------------------------------------


@staff_only
@require_GET
def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    post = _viewable(request, pk)
    revisions = post.revisions.select_related("author").order_by("-updated_at", "-id")[:100]
    context = {
        "post": post,
        "revisions": revisions,
        "can_edit": roles.can_edit_post(request.user, post),
        "section": "posts",
    }
    return render(request, "newsroom/posts/revision_list.html", context)


def _diff_rows(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff of two texts: (kind, line), kind one of ``same``, ``del``, ``ins``."""
    rows: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    a, b = old.splitlines(), new.splitlines()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(("same", line) for line in a[i1:i2])
        else:
            rows.extend(("del", line) for line in a[i1:i2])
            rows.extend(("ins", line) for line in b[j1:j2])
    return rows


@staff_only
def revision_detail(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    """Compare a revision with the post as it is now; POST restores it."""
    post = _viewable(request, pk)
    revision = get_object_or_404(PostRevision, pk=revision_id, post=post)
    if request.method == "POST":
        post = _editable(request, pk)
        try:
            services.revision_restore(
                revision=revision, version=_version(request.POST.get("version")), by=request.user
            )
        except MastheadError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, "Revision restored. The text it replaced is kept as a revision.")
        return HttpResponseRedirect(_edit_url(post))
    context = {
        "post": post,
        "revision": revision,
        "title_changed": revision.title != post.title,
        "excerpt_changed": revision.excerpt != post.excerpt,
        "rows": _diff_rows(revision.body, post.body),
        "can_edit": roles.can_edit_post(request.user, post),
        "section": "posts",
    }
    return render(request, "newsroom/posts/revision_detail.html", context)


urlpatterns = [
    path("", post_list, name="posts"),
    path("new/", post_new, name="post_new"),
    path("<int:pk>/", post_edit, name="post_edit"),
    path("<int:pk>/autosave/", post_autosave, name="post_autosave"),
    path("<int:pk>/preview/", post_preview_frame, name="post_preview_frame"),
    path("<int:pk>/email/", post_email, name="post_email"),
    path("<int:pk>/images/", post_image_upload, name="post_image_upload"),
    path("<int:pk>/hero/", post_hero, name="post_hero"),
    path("<int:pk>/settings/", post_settings, name="post_settings"),
    path("<int:pk>/publish/", post_publish, name="post_publish"),
    path("<int:pk>/send/", post_send, name="post_send"),
    path("<int:pk>/preview-links/", preview_link_new, name="preview_link_new"),
    path(
        "<int:pk>/preview-links/<int:link_id>/revoke/",
        preview_link_revoke,
        name="preview_link_revoke",
    ),
    path("<int:pk>/revisions/", revision_list, name="revision_list"),
    path("<int:pk>/revisions/<int:revision_id>/", revision_detail, name="revision_detail"),
]
"""Mounted under ``/newsroom/posts/`` by ``masthead/newsroom/urls.py``."""
