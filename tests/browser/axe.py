"""axe-core in the browser tests: one way to ask a page for its accessibility violations.

The script is the copy that ships inside the ``axe-playwright-python`` dev dependency, so
its version is pinned by ``uv.lock`` and no file is vendored here. It is evaluated through
Playwright (outside the page's Content-Security-Policy), on the page as it is now.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import axe_playwright_python

RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _script() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def violations(page: Any) -> list[str]:
    """WCAG 2.x A/AA and best-practice violations, as ``rule-id: selector, ...`` lines."""
    page.evaluate(_script())
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' '))
             .slice(0, 5).join(', '))""",
        RULE_TAGS,
    )
    return list(found)
