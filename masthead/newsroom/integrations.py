"""Integrations (admins only): webhooks with their delivery log, and Content API keys.

Writes go through ``masthead.exchange.webhooks`` and ``masthead.exchange.keys``. A new
webhook's secret is shown once, in the answer to the form that made it (never put in the
session or a redirect), so it leaves the server only to the admin who asked for it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from masthead.errors import MastheadError
from masthead.exchange import keys, webhooks
from masthead.exchange.models import Webhook, WebhookDelivery
from masthead.newsroom.access import admin_required

LOG_ROWS = 100


def _page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    hooks = Webhook.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status="delivered")),
        failed=Count("deliveries", filter=Q(deliveries__status="failed")),
        waiting=Count("deliveries", filter=Q(deliveries__status__in=["pending", "sending"])),
        last_delivery=Max("deliveries__created_at"),
    )
    context = {
        "section": "integrations",
        "hooks": hooks,
        "events": Webhook.Event.choices,
        "keys": keys.content_key_list(),
        "form": {"name": "", "target_url": "", "events": []},
        **extra,
    }
    return render(request, "newsroom/integrations.html", context, status=status)


@require_GET
@admin_required
def integrations(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@admin_required
def webhook_new(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    target_url = request.POST.get("target_url", "")
    events = request.POST.getlist("events")
    form = {"name": name, "target_url": target_url, "events": events}
    try:
        hook = webhooks.webhook_create(name=name, target_url=target_url, events=events)
    except MastheadError as error:
        return _page(request, status=error.status, form=form, webhook_error=error.message)
    return _page(request, created_hook=hook)


@require_POST
@admin_required
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=webhook_id)
    webhooks.webhook_delete(webhook_id=hook.pk)
    messages.success(request, f"Deleted the webhook “{hook.name}” and its delivery log.")
    return redirect("newsroom:integrations")


@require_POST
@admin_required
def webhook_toggle(request: HttpRequest, webhook_id: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=webhook_id)
    webhooks.webhook_set_active(webhook_id=hook.pk, active=not hook.active)
    state = "paused" if hook.active else "sending again"
    messages.success(request, f"The webhook “{hook.name}” is {state}.")
    return redirect("newsroom:integrations")


@require_GET
@admin_required
def webhook_log(request: HttpRequest, webhook_id: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=webhook_id)
    rows = WebhookDelivery.objects.filter(webhook=hook).order_by("-created_at", "-id")[:LOG_ROWS]
    context = {"section": "integrations", "hook": hook, "rows": rows, "limit": LOG_ROWS}
    return render(request, "newsroom/webhook_log.html", context)


@require_POST
@admin_required
def key_new(request: HttpRequest) -> HttpResponse:
    try:
        key = keys.content_key_create(name=request.POST.get("name", ""))
    except MastheadError as error:
        return _page(request, status=error.status, key_error=error.message)
    return _page(request, created_key=key)


@require_POST
@admin_required
def key_revoke(request: HttpRequest) -> HttpResponse:
    try:
        key = keys.content_key_revoke(key=request.POST.get("key", ""))
    except MastheadError as error:
        return _page(request, status=error.status, key_error=error.message)
    messages.success(request, f"Revoked the key “{key.name}”: apps using it are refused now.")
    return redirect("newsroom:integrations")
