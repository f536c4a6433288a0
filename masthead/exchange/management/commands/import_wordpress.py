"""``import_wordpress FILE [--media DIR|ZIP] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.exchange import services
from masthead.exchange.management.commands._progress import Bar, print_report
from masthead.exchange.records import ImportRefused


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.0-1.2), with images from wp-content/uploads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--media", type=Path, help="the wp-content/uploads folder, or a zip of it"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count; save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = services.wordpress_import(
                path=options["file"],
                media=options["media"],
                dry_run=options["dry_run"],
                progress=Bar(self.stderr),
            )
        except ImportRefused as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from exc
        print_report(self.stdout, report)
