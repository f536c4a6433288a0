"""Build the messages the newsletter sends.

Newsletter issues carry List-Id, the RFC 8058 one-click headers and a visible unsubscribe
link. Confirmation, reminder, welcome and "already subscribed" emails are transactional:
sent once to one person who asked for them, so they carry no List-Unsubscribe header.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from masthead.core import publication
from masthead.newsletter import tokens
from masthead.newsletter.models import Issue, Subscriber


class UnsafeHeaderError(ValueError):
    """A subject or header value contains a line break (header injection)."""


def check_header(value: str) -> str:
    if "\r" in value or "\n" in value or "\x00" in value:
        raise UnsafeHeaderError("Subjects cannot contain line breaks.")
    return value


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def list_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{publication.current().name} weekly <newsletter.{host}>"


def confirm_url(subscriber: Subscriber) -> str:
    token = tokens.make(tokens.CONFIRM, subscriber.pk)
    return absolute(reverse("newsletter:confirm", kwargs={"token": token}))


def unsubscribe_url(subscriber: Subscriber, issue: Issue | None = None) -> str:
    token = tokens.make(tokens.UNSUBSCRIBE, subscriber.pk, issue.pk if issue else None)
    return absolute(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def _message(
    *, subject: str, template: str, context: dict[str, Any], to: str, headers: dict[str, str]
) -> EmailMultiAlternatives:
    context = {"site_name": publication.current().name, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"newsletter/email/{template}.txt", context)
    html = render_to_string(f"newsletter/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=check_header(subject),
        body=text,
        from_email=settings.MASTHEAD_NEWSLETTER_FROM,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation(subscriber: Subscriber, *, reminder: bool = False) -> EmailMultiAlternatives:
    subject = f"Confirm your subscription to {publication.current().name}"
    if reminder:
        subject = f"Reminder: {subject[0].lower()}{subject[1:]}"
    return _message(
        subject=subject,
        template="confirm",
        context={"confirm_url": confirm_url(subscriber), "reminder": reminder},
        to=subscriber.email,
        headers={"Auto-Submitted": "auto-generated"},
    )


def welcome(subscriber: Subscriber) -> EmailMultiAlternatives:
    return _message(
        subject=f"Welcome to {publication.current().name} — you're in the loop",
        template="welcome",
        context={"unsubscribe_url": unsubscribe_url(subscriber)},
        to=subscriber.email,
        headers={"Auto-Submitted": "auto-generated"},
    )


def already_subscribed(subscriber: Subscriber) -> EmailMultiAlternatives:
    """The answer to a subscribe request for an address that is already on the list."""
    return _message(
        subject=f"You're already subscribed to {publication.current().name}",
        template="already_subscribed",
        context={"unsubscribe_url": unsubscribe_url(subscriber)},
        to=subscriber.email,
        headers={"Auto-Submitted": "auto-generated"},
    )


def _on_site(url: str) -> str:
    """The web version links within the site by path, as its pages always do."""
    return url[len(settings.SITE_URL) :] or "/" if url.startswith(settings.SITE_URL) else url


def _post_item(item: dict[str, Any]) -> dict[str, Any]:
    """A post's frozen snapshot with its body ready for the template: the body was cut
    and run through ``markdown.sanitise`` when the snapshot was taken (posts.post_email_item)."""
    return {**item, "body_html": mark_safe(item["body_html"])}  # noqa: S308  # nosec


def issue_context(issue: Issue, *, web: bool = False) -> dict[str, Any]:
    """What both the email and the web version of an issue show."""
    from masthead.tools import registry

    tool = registry.get(issue.tool_slug) if issue.tool_slug else None
    items = issue.items
    if web:
        links = ("url", "hero_url")
        items = [{**item, **{key: _on_site(item[key]) for key in links}} for item in items]
    web_url = absolute(reverse("newsletter:issue", kwargs={"pk": issue.pk}))
    if issue.kind == Issue.Kind.POST and items:
        web_url = items[0]["url"]  # a post's web version is its own page
    return {
        "issue": issue,
        "items": items,
        "post": _post_item(items[0]) if issue.kind == Issue.Kind.POST and items else None,
        "tool": tool,
        "tool_url": absolute(tool.url) if tool else "",
        "web_url": web_url,
        "open_pixel": _open_pixel(issue) if not web else "",
        "site_name": publication.current().name,
        "site_url": settings.SITE_URL,
    }


def _open_pixel(issue: Issue) -> str:
    """The same image URL in every copy of an issue: it counts opens, never who opened."""
    if not settings.MASTHEAD_NEWSLETTER_COUNT_OPENS or not issue.pk:
        return ""
    token = tokens.make(tokens.COUNT, issue.pk)
    return absolute(reverse("newsletter:opened", kwargs={"token": token}))


def _count_clicks(issue: Issue, html: str) -> str:
    """Links to this site in a post email go through a counting redirect, the same URL
    for every recipient (issue and target only); links elsewhere are left alone."""
    if not settings.MASTHEAD_NEWSLETTER_COUNT_CLICKS or not issue.pk or issue.kind != "post":
        return html

    def swap(match: re.Match[str]) -> str:
        target = unescape(match.group(1))
        if not target.startswith(f"{settings.SITE_URL}/"):
            return match.group(0)
        token = tokens.make_link(issue.pk, target[len(settings.SITE_URL) :])
        return f'href="{escape(absolute(reverse("newsletter:clicked", kwargs={"token": token})))}"'

    return _HREF.sub(swap, html)


def _template(issue: Issue) -> str:
    return "post" if issue.kind == Issue.Kind.POST else "issue"


_HREF = re.compile(r'href="([^"]+)"')
_URL_SLOT = "__masthead_unsubscribe_url__"
_RCPT_SLOT = "__masthead_recipient__"


@lru_cache(maxsize=4)
def _issue_bodies(issue_id: int, version: str) -> tuple[str, str]:
    """Render an issue once per process; each copy only fills in its recipient's slots."""
    issue = Issue.objects.get(pk=issue_id)
    context = {**issue_context(issue), "unsubscribe_url": _URL_SLOT, "recipient": _RCPT_SLOT}
    text = render_to_string(f"newsletter/email/{_template(issue)}.txt", context)
    html = render_to_string(f"newsletter/email/{_template(issue)}.html", context)
    return text, _count_clicks(issue, html)


def issue_message(issue: Issue, subscriber: Subscriber) -> EmailMultiAlternatives:
    """One subscriber's copy: only their own unsubscribe token is inside."""
    url = unsubscribe_url(subscriber, issue)
    if issue.pk:
        text, html = _issue_bodies(issue.pk, f"{issue.updated_at.isoformat()}|{issue.subject}")
    else:  # an unsaved preview
        context = {**issue_context(issue), "unsubscribe_url": _URL_SLOT, "recipient": _RCPT_SLOT}
        text = render_to_string(f"newsletter/email/{_template(issue)}.txt", context)
        html = render_to_string(f"newsletter/email/{_template(issue)}.html", context)
    message = EmailMultiAlternatives(
        subject=check_header(issue.subject),
        body=text.replace(_URL_SLOT, url).replace(_RCPT_SLOT, subscriber.email),
        from_email=settings.MASTHEAD_NEWSLETTER_FROM,
        to=[subscriber.email],
        headers={
            "List-Id": list_id(),
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
        },
    )
    html = html.replace(_URL_SLOT, url).replace(_RCPT_SLOT, escape(subscriber.email))
    message.attach_alternative(html, "text/html")
    return message
