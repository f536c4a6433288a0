"""Count the work a call does in Python code, for tests about how cost grows with input.

Function starts and jumps (every pass of a loop ends in one) are counted through
``sys.monitoring``, so the count is the same on every run and on a busy machine: tests
compare counts, never clock times. Work done in C (regular expressions, nh3) is not
counted, so these tests cover the parser's Python loops, which is where quadratic
behaviour has come from.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


class TooMuchWork(AssertionError):
    """The call went over its step cap (raised inside it, so a quadratic loop stops)."""


def python_steps(call: Callable[[], object], *, cap: int) -> int:
    """Steps ``call()`` takes; raises ``TooMuchWork`` as soon as it passes ``cap``."""
    monitoring = sys.monitoring
    tool = next(t for t in range(5, -1, -1) if monitoring.get_tool(t) is None)
    events = monitoring.events.PY_START | monitoring.events.JUMP
    steps = 0

    def count(*_: Any) -> None:
        nonlocal steps
        steps += 1
        if steps > cap:
            raise TooMuchWork(f"more than {cap:,} steps")

    monitoring.use_tool_id(tool, "masthead-tests-work")
    try:
        monitoring.register_callback(tool, monitoring.events.PY_START, count)
        monitoring.register_callback(tool, monitoring.events.JUMP, count)
        monitoring.set_events(tool, events)
        call()
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, monitoring.events.PY_START, None)
        monitoring.register_callback(tool, monitoring.events.JUMP, None)
        monitoring.free_tool_id(tool)
    return steps
