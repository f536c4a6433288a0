"""The console handler follows ``sys.stderr``: a stream replaced and closed since logging
was configured costs no record and prints no logging error."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from masthead.core.logs import ConsoleHandler


def test_records_go_to_the_stderr_of_the_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    first, later = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler = ConsoleHandler()
    logger = logging.getLogger("masthead.tests.console")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        first.close()  # a capture that ended
        monkeypatch.setattr(sys, "stderr", later)
        logger.warning("engines released")
    finally:
        logger.removeHandler(handler)
    assert later.getvalue() == "engines released\n"


def test_the_site_logs_through_it() -> None:
    from django.conf import settings

    handlers = settings.LOGGING["handlers"]
    assert isinstance(handlers, dict)
    assert handlers["console"]["class"] == "masthead.core.logs.ConsoleHandler"
    assert any(isinstance(h, ConsoleHandler) for h in logging.getLogger().handlers)
