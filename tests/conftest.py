"""Project-wide fixtures and the rule for tests that need a service or the browser."""

from __future__ import annotations

import pytest

from tests import services

pytest_plugins = ["tests.fixtures.django_env", "tests.fixtures.smtp", "tests.fixtures.browser"]

GROUPS = ("browser", "postgres", "redis", "tesseract")
_not_run: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _long_files_first(items)
    for item in items:
        for group in GROUPS:
            if item.get_closest_marker(group) is None:
                continue
            reason = services.missing(group)
            if reason is None:
                continue
            if services.in_ci():
                item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
                item.user_properties.append(("missing", f"{group}: {reason}"))
            else:
                _not_run[group] = reason
                item.add_marker(pytest.mark.skip(reason=f"{group} group not run: {reason}"))


def _long_files_first(items: list[pytest.Item]) -> None:
    """Put the files holding ``slow`` tests (fault and load tests of minutes each) first,
    each file's tests kept together and in order. pytest-xdist's ``loadfile`` hands files
    to the workers in this order, so the long ones start at once and the many short files
    fill the other workers around them, instead of one worker running the longest files
    alone at the end while the others wait."""
    slow = {item.path for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture
def _fail_missing_service(request: pytest.FixtureRequest) -> None:
    reasons = [value for key, value in request.node.user_properties if key == "missing"]
    pytest.fail(f"required in CI but missing: {'; '.join(reasons)}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _not_run:
        return
    terminalreporter.section("test groups not run on this machine")
    for group, reason in sorted(_not_run.items()):
        terminalreporter.write_line(f"{group}: {reason}")
