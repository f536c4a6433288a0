"""``content_key create NAME`` prints a new Content API key; ``content_key revoke KEY``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.errors import MastheadError
from masthead.exchange import keys


class Command(BaseCommand):
    help = "Create, list or revoke read-only Content API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a key and print it")
        create.add_argument("name")
        revoke = sub.add_parser("revoke", help="revoke a key")
        revoke.add_argument("key")
        sub.add_parser("list", help="list keys")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self.stdout.write(keys.content_key_create(name=options["name"]).key)
            elif options["action"] == "revoke":
                found = keys.content_key_revoke(key=options["key"])
                self.stdout.write(f"Revoked {found.key} ({found.name}).")
            else:
                for item in keys.content_key_list():
                    state = "revoked" if item.revoked_at else "active"
                    self.stdout.write(f"{item.key}  {state:7}  {item.name}")
        except MastheadError as exc:
            raise CommandError(exc.message) from exc
