"""Load the demo publication (authors, categories, nine posts with drawn hero images).

``make run`` calls it with ``--if-empty`` on every start, so it must be idempotent: rows
that exist are left alone and only missing ones are created.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.blog.demo import loader, scale


class Command(BaseCommand):
    help = "Load the demo posts, authors and categories (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Only when there are no posts.")
        parser.add_argument("--dry-run", action="store_true", help="Report, then roll back.")
        parser.add_argument(
            "--posts",
            type=int,
            default=0,
            help="Grow the site to this many posts (copies of the demo posts, more tags "
            "and authors), for measuring a site of that size.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["posts"]:
            if options["posts"] < 1 or options["posts"] > 100_000:
                raise CommandError("--posts takes a number from 1 to 100000.")
            grown = scale.scale_load(posts=options["posts"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {grown.posts} posts, {grown.tags} tags, {grown.authors} authors."
                )
            )
            return
        if options["if_empty"] and not loader.demo_is_needed():
            self.stdout.write("Posts exist; demo content not loaded.", self.style.NOTICE)
            return
        result = loader.demo_missing() if options["dry_run"] else loader.demo_load()
        verb = "Would create" if options["dry_run"] else "Created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.posts} posts, {result.tags} tags, {result.authors} authors."
            )
        )
