"""Send this week's digest: what the scheduler runs, and what an operator can run by hand.

Safe to run twice: the week's issue row is unique, so a second run (or a second scheduler)
finds it and sends nothing. Without --now it only sends once this week's configured day
and hour (MASTHEAD_NEWSLETTER_DAY/_HOUR, site time zone) have passed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from masthead.newsletter import issues


class Command(BaseCommand):
    help = "Build and send this week's newsletter issue (once per week)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument("--now", action="store_true", help="Ignore the configured day/hour.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = issues.issue_send_weekly(force=options["now"], dry_run=options["dry_run"])
        line = (
            f"{result.action}: issue={result.issue_id} posts={result.posts} "
            f"recipients={result.recipients}"
        )
        good = result.action in {"sent", "would_send"}
        style = self.style.SUCCESS if good else self.style.WARNING
        self.stdout.write(style(line))
