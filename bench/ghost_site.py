"""A running Ghost installed by ``bench/ghost/setup.sh``, as the load benchmarks see it.

Everything is read from its ``GHOST_HOME``: the URL from ``config.production.json``, the
process from ``ghost.pid`` (for CPU time), the published posts from its SQLite file. A
signed-in member is made the way a reader signs up: an integrity token, a magic-link
request, then the link itself; the link's token, which Ghost only emails (the bench
install's mail transport is a stub), is read from the ``tokens`` table.
"""

from __future__ import annotations

import http.cookiejar
import json
import sqlite3
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class GhostSite:
    home: Path
    url: str
    pid: int

    @classmethod
    def from_home(cls, home: str | Path) -> GhostSite:
        root = Path(home)
        config = json.loads((root / "config.production.json").read_text())
        pid = int((root / "ghost.pid").read_text().strip())
        if not psutil.pid_exists(pid):
            raise RuntimeError(f"Ghost in {root} is not running: bench/ghost/start.sh")
        return cls(root, str(config["url"]).rstrip("/"), pid)

    @property
    def database(self) -> Path:
        return self.home / "content" / "data" / "ghost.db"

    def _query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return db.execute(sql, params).fetchall()

    def post_paths(self) -> list[str]:
        """The paths of every published post, as Ghost serves them (``/slug/``)."""
        rows = self._query(
            "SELECT slug FROM posts WHERE status = 'published' AND type = 'post' ORDER BY slug"
        )
        return [f"/{slug}/" for (slug,) in rows]

    def cpu_seconds(self) -> float:
        process = psutil.Process(self.pid)
        processes = [process, *process.children(recursive=True)]
        return float(sum(p.cpu_times().user + p.cpu_times().system for p in processes))

    def member_cookie(self, email: str) -> str:
        """A ``Cookie`` header value of a signed-in member (created on first use)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{self.url}/members/api/integrity-token/", timeout=30) as response:
            integrity = response.read().decode()
        body = {"email": email, "emailType": "signup", "integrityToken": integrity}
        request = urllib.request.Request(
            f"{self.url}/members/api/send-magic-link/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Origin": self.url},
            method="POST",
        )
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 5))
        opener.open(request, timeout=30).close()
        rows = self._query(
            "SELECT token FROM tokens WHERE data LIKE ? AND created_at >= ? "
            "ORDER BY created_at DESC LIMIT 1",
            f'%"email":"{email}"%',
            since,
        )
        if not rows:
            raise RuntimeError("Ghost made no sign-in token for the bench member")
        query = urllib.parse.urlencode({"token": rows[0][0], "action": "signup"})
        opener.open(f"{self.url}/members/?{query}", timeout=30).close()
        cookies = {c.name: c.value for c in jar if c.name.startswith("ghost-members-ssr")}
        if "ghost-members-ssr" not in cookies:
            raise RuntimeError("Ghost's sign-in link set no member session")
        return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))
