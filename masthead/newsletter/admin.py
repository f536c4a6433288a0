"""Editors' newsletter screens: subscribers (search, CSV in/out), issues (preview, test
email, send now, schedule, figures), the deliveries staff must check by hand, and the
"email this post" actions on the post list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from masthead import spreadsheets
from masthead.blog.models import Post
from masthead.newsletter import emails, imports, issues, posts, selectors, sending
from masthead.newsletter.models import Delivery, Issue, Subscriber


class _Echo:
    def write(self, value: str) -> str:
        return value


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with an 'email' column (or emails in the first column).")


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["email", "status", "source", "hard_bounces", "created_at", "confirmed_at"]
    list_filter = ["status", "source"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "updated_at", "confirmed_at", "unsubscribed_at"]
    raw_id_fields = ["user", "unsubscribed_from"]
    actions = ["export_csv"]
    change_list_template = "newsletter/admin/subscriber_changelist.html"

    def get_urls(self) -> list[Any]:
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="newsletter_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="newsletter_export"),
        ]
        return extra + super().get_urls()

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = spreadsheets.writer(response)  # emails and sources come from a public form
        writer.writerow(["email", "status", "source", "hard_bounces"])
        for row in queryset.values_list("email", "status", "source", "hard_bounces"):
            writer.writerow(row)
        return response

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        writer = spreadsheets.writer(_Echo())
        rows = (writer.writerow(row) for row in selectors.subscriber_rows())
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = imports.subscribers_import(data=form.cleaned_data["file"].read())
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                self.message_user(
                    request,
                    f"Imported {report.created} new; {report.already} already on the list; "
                    f"{report.kept_unsubscribed} unsubscribed and left alone; "
                    f"{report.invalid} invalid addresses skipped.",
                )
                return HttpResponseRedirect(reverse("admin:newsletter_subscriber_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Import subscribers",
        }
        return render(request, "newsletter/admin/import.html", context)


class IssueForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Issue
        fields = ["subject", "editor_note", "tool_slug", "scheduled_for"]

    def clean_subject(self) -> str:
        try:
            return emails.check_header(self.cleaned_data["subject"])
        except emails.UnsafeHeaderError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = IssueForm
    list_display = [
        "subject",
        "kind",
        "status",
        "week",
        "recipients",
        "scheduled_for",
        "sent_at",
        "figures",
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "kind",
        "post",
        "audience",
        "status",
        "week",
        "period_start",
        "period_end",
        "figures",
        "preview",
    ]
    actions = ["build_weekly", "send_test", "send_now", "schedule"]

    @admin.display(description="Figures")
    def figures(self, issue: Issue) -> str:
        f = selectors.issue_figures(issue=issue)
        uncertain_url = reverse("admin:newsletter_delivery_changelist")
        return format_html(
            "{} recipients · {} sent · {} failed · {} bounced · "
            '<a href="{}?issue__id__exact={}&status__exact=uncertain">{} uncertain</a> · '
            "{} unsubscribes · {} opens · {} clicks",
            f["recipients"],
            f["sent"],
            f["failed"],
            f["bounced"],
            uncertain_url,
            issue.pk,
            f["uncertain"],
            f["unsubscribes"],
            issue.opens,
            issue.clicks,
        )

    @admin.display(description="Preview")
    def preview(self, issue: Issue) -> str:
        url = reverse("newsletter:issue", kwargs={"pk": issue.pk}) if issue.pk else ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open in the browser</a>', url
        )

    def has_change_permission(self, request: HttpRequest, obj: Issue | None = None) -> bool:
        editable = obj is None or obj.status in {Issue.Status.DRAFT, Issue.Status.SCHEDULED}
        return editable and super().has_change_permission(request, obj)

    @admin.action(description="Build this week's issue as a draft")
    def build_weekly(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        issue = issues.issue_build(end=timezone.now())
        self.message_user(request, f"Draft built with {len(issue.items)} posts.")

    @admin.action(description="Send a test email to me")
    def send_test(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        for issue in queryset:
            issues.issue_send_test(issue=issue, to=request.user.email)  # type: ignore[union-attr]
        self.message_user(request, f"Test sent to {request.user.email}.")  # type: ignore[union-attr]

    @admin.action(description="Send now")
    def send_now(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        for issue in queryset:
            try:
                count = sending.issue_send(issue_id=issue.pk)
            except (sending.IssueNotSendableError, emails.UnsafeHeaderError) as error:
                self.message_user(request, f"{issue}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{issue}: sending to {count} subscribers.")

    @admin.action(description="Schedule (at the issue's 'scheduled for' time)")
    def schedule(self, request: HttpRequest, queryset: QuerySet[Issue]) -> None:
        ready = queryset.filter(status=Issue.Status.DRAFT, scheduled_for__isnull=False)
        count = ready.update(status=Issue.Status.SCHEDULED)
        self.message_user(request, f"{count} issue(s) scheduled; set 'scheduled for' first.")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Uncertain rows are listed here for staff; nothing resends them automatically."""

    list_display = ["issue", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "issue"]
    search_fields = ["subscriber__email"]
    list_select_related = ["issue", "subscriber"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _send_post_action(audience: str, description: str) -> Any:
    @admin.action(description=description)
    def action(model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        if not request.user.has_perm("newsletter.add_issue"):
            model_admin.message_user(request, "You may not send email.", messages.ERROR)
            return
        for post in queryset:
            try:
                issue = posts.send_post(post=post, audience=audience)
            except (posts.PostNotSendableError, emails.UnsafeHeaderError) as error:
                model_admin.message_user(request, f"{post}: {error}", messages.ERROR)
            else:
                model_admin.message_user(request, f"{post}: sending to {issue.recipients}.")

    action.__name__ = f"email_to_{audience}"
    return action


# Per-post email from the post list (blog's admin knows nothing of the newsletter, which
# sits above it; blog's admin module is registered first, INSTALLED_APPS order).
_post_admin = type(admin.site.get_model_admin(Post))
_post_admin.actions = [
    *(_post_admin.actions or []),
    _send_post_action("subscribers", "Email to every subscriber (once per post)"),
    _send_post_action("members", "Email to subscribers who are members (once per post)"),
]
