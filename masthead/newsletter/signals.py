"""Signals the newsletter sends, for apps above it (exchange's webhooks listen).

Sent inside the writing transaction, so a receiver's rows commit or roll back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``subscriber`` when a pending address is confirmed (becomes active).
subscriber_confirmed = Signal()
