"""Queries a page makes itself, without the process-wide reads of shared keys.

The content version (read at most once a second per process) and the publication's
settings (once per content version per process, masthead/core/publication.py) are queries
only with the database cache, and fall on whichever request comes first: counts that must
not depend on timing leave them out.
"""

from __future__ import annotations

from django.test.utils import CaptureQueriesContext

SHARED_KEYS = ("publication:current", "pagecache:version")


def own_queries(captured: CaptureQueriesContext) -> list[str]:
    """The SQL of ``captured`` without the reads of the shared keys."""
    return [q["sql"] for q in captured if not any(key in q["sql"] for key in SHARED_KEYS)]
