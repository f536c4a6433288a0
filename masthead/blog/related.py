"""Which posts are related to which: ranked once when tags or publication change, not per page.

A post's related posts are the live posts sharing the most tags with it, newest first on
ties. Ranking them is a GROUP BY over every post sharing a tag, which grows with the site
(17-20 ms of CPU per page at 5,000 posts on SQLite), so ``services.posts_related_refresh``
ranks them when something that decides them changes and stores the ids on the post
(``Post.related_ids``); the page reads them back by primary key (ADR 0107).

This module is the ranking alone, on plain ids: the service and the migration that fills
the column for existing posts share it.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

# Ids kept per post: three are shown, the rest stand in for posts unpublished or deleted
# before the next ranking.
KEPT = 6


def rank(
    links: Iterable[tuple[int, int, datetime]],
    targets: Mapping[int, Collection[int]],
    keep: int = KEPT,
) -> dict[int, list[int]]:
    """For each target post (id -> its tag ids), the ``keep`` best related post ids.

    ``links`` are (post id, tag id, published at) of the live posts that may be related,
    covering at least every tag the targets carry. Best: most shared tags, then newest,
    then the higher id (so equal times rank the same way every time).
    """
    by_tag: dict[int, list[int]] = {}
    when: dict[int, datetime] = {}
    for post_id, tag_id, published_at in links:
        by_tag.setdefault(tag_id, []).append(post_id)
        when[post_id] = published_at
    ranked: dict[int, list[int]] = {}
    for target, tag_ids in targets.items():
        shared: Counter[int] = Counter()
        for tag_id in set(tag_ids):
            shared.update(by_tag.get(tag_id, ()))
        shared.pop(target, None)
        ranked[target] = heapq.nlargest(keep, shared, key=lambda p: (shared[p], when[p], p))
    return ranked
