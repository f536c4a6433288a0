"""``import_ghost FILE [--media DIR|ZIP] [--members CSV] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.exchange import services
from masthead.exchange.management.commands._progress import Bar, print_report
from masthead.exchange.records import ImportRefused


class Command(BaseCommand):
    help = "Import a Ghost JSON export (or a zip holding it and its images)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--media", type=Path, help="Ghost's content/images folder, or a zip of it"
        )
        parser.add_argument("--members", type=Path, help="Ghost's members CSV export")
        parser.add_argument("--dry-run", action="store_true", help="check and count; save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = services.ghost_import(
                path=options["file"],
                media=options["media"],
                members_csv=options["members"],
                dry_run=options["dry_run"],
                progress=Bar(self.stderr),
            )
        except ImportRefused as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from exc
        print_report(self.stdout, report)
