"""Seed the Ghost installed by ``bench/ghost/setup.sh`` with Masthead's demo publication.

So the two can be measured side by side on the same content: the nine demo articles (same
titles, slugs, excerpts, Markdown bodies rendered by Ghost's own Markdown card, hero art,
dates, featured and members-only flags, tags) by the four demo writers; Ghost's first-run
sample post is deleted. Everything goes through Ghost's Admin API with a staff session, except
two things the API keeps behind email:

* the three extra writers are invited through the API, and the invitation token, which Ghost
  only emails, is read from the SQLite ``invites`` table to accept the invitation;
* ``--comments N`` adds N comments on one post (``--comments-post``, default a demo post, so
  the site stays at nine articles) the way ``bench/comments_render.py`` does on Masthead
  (20 members, every third comment a reply): the members are created through the Admin API,
  the comments are inserted straight into the ``comments`` table, because the members
  comments API needs a signed-in member session per commenter (a magic link by email).

Idempotent: the owner, writers, tags, posts (by slug), integration and comments are created
only when missing. Prints the Content API key and the post URLs; ``--export FILE`` saves
Ghost's own JSON export (``GET /ghost/api/admin/db/``).

    .venv/bin/python bench/ghost/seed.py [--posts 500] [--comments 200] [--export FILE]
"""

from __future__ import annotations

import argparse
import json
import secrets
import sqlite3
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from masthead.blog.demo import art  # noqa: E402  (plain data and Pillow: no Django needed)
from masthead.blog.demo.content import AUTHORS, TAGS, DemoAuthor, DemoPost  # noqa: E402
from masthead.blog.demo.posts_ai import POSTS as AI_POSTS  # noqa: E402
from masthead.blog.demo.posts_other import POSTS as OTHER_POSTS  # noqa: E402
from masthead.blog.demo.posts_security import POSTS as SECURITY_POSTS  # noqa: E402

ALL_POSTS: tuple[DemoPost, ...] = AI_POSTS + SECURITY_POSTS + OTHER_POSTS
PASSWORD = "Mh-bench-Q7x!pLz2"  # loopback-only benchmark instance
INTEGRATION = "Masthead bench"
COMMENT_POST = "sqlite-in-production"  # a demo post: the site stays at nine articles
COMMENT_MEMBERS = 20
EXTRA_TAGS = 48  # as masthead/blog/demo/scale.py
SPREAD_DAYS = 5 * 365


class GhostError(RuntimeError):
    """An Admin API call answered with an error status."""


class Admin:
    """Admin API client on a staff session cookie (stdlib only)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.api = f"{self.url}/ghost/api/admin/"
        self.cookie = ""

    def call(
        self, method: str, path: str, body: Any = None, *, ok_404: bool = False
    ) -> dict[str, Any] | None:
        data, content_type = None, "application/json"
        if isinstance(body, tuple):  # (bytes, content type): multipart upload
            data, content_type = body
        elif body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.api + path, data=data, method=method)
        request.add_header("Origin", self.url)  # Ghost checks it on session-authenticated calls
        request.add_header("Accept-Version", "v6.0")
        request.add_header("Content-Type", content_type)
        if self.cookie:
            request.add_header("Cookie", self.cookie)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                for header in response.headers.get_all("Set-Cookie") or []:
                    if header.startswith("ghost-admin-api-session="):
                        self.cookie = header.split(";", 1)[0]
                raw = response.read()
        except urllib.error.HTTPError as error:
            if ok_404 and error.code == 404:
                return None
            detail = error.read().decode(errors="replace")[:600]
            raise GhostError(f"{method} {path}: HTTP {error.code}: {detail}") from None
        try:
            return dict(json.loads(raw))
        except ValueError:  # POST /session/ answers the plain text "Created"
            return {}

    def get(self, path: str, *, ok_404: bool = False) -> dict[str, Any] | None:
        return self.call("GET", path, ok_404=ok_404)

    def must(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = self.call(method, path, body)
        assert answer is not None
        return answer


def _multipart(fields: dict[str, str], name: str, filename: str, blob: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        f"\r\nContent-Type: image/jpeg\r\n\r\n".encode()
        + blob
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def setup_owner(admin: Admin, owner: DemoAuthor, title: str) -> None:
    """Complete Ghost's first-run setup once, then sign in with a staff session."""
    email = f"{owner.username}@example.com"
    status = admin.must("GET", "authentication/setup/")["setup"][0]["status"]
    if not status:
        body = {
            "setup": [
                {"name": owner.name, "email": email, "password": PASSWORD, "blogTitle": title}
            ]
        }
        admin.must("POST", "authentication/setup/", body)
        print(f"owner created: {email}")
    admin.must("POST", "session/", {"username": email, "password": PASSWORD})


def ensure_writers(admin: Admin, db: Path) -> dict[str, str]:
    """Demo writers as Ghost staff users: the owner, then invited Authors. username -> id."""
    users = admin.must("GET", "users/?limit=all")["users"]
    by_email = {u["email"]: u for u in users}
    roles = admin.must("GET", "roles/?permissions=assign")["roles"]
    author_role = next(r["id"] for r in roles if r["name"] == "Author")
    ids: dict[str, str] = {}
    for writer in AUTHORS:
        email = f"{writer.username}@example.com"
        user = by_email.get(email)
        if user is None:
            invite = admin.must(
                "POST", "invites/", {"invites": [{"email": email, "role_id": author_role}]}
            )
            invite_id = invite["invites"][0]["id"]
            with sqlite3.connect(db) as conn:
                token = conn.execute(
                    "SELECT token FROM invites WHERE id = ?", (invite_id,)
                ).fetchone()[0]
            accept = {
                "invitation": [
                    {"token": token, "email": email, "password": PASSWORD, "name": writer.name}
                ]
            }
            Admin(admin.url).must("POST", "authentication/invitation/", accept)
            users = admin.must("GET", "users/?limit=all")["users"]
            user = next(u for u in users if u["email"] == email)
            print(f"writer invited and accepted: {writer.name}")
        if (
            user["slug"] != writer.slug
            or user.get("bio") != writer.bio
            or user["name"] != writer.name
        ):
            admin.must(
                "PUT",
                f"users/{user['id']}/",
                {"users": [{"name": writer.name, "slug": writer.slug, "bio": writer.bio}]},
            )
        ids[writer.username] = user["id"]
    return ids


def ensure_tags(admin: Admin, extra: int) -> list[str]:
    """The demo tags (with descriptions), plus ``topic-NN`` tags for a grown site."""
    wanted = [(slug, name, description) for slug, (name, description) in TAGS.items()]
    wanted += [(f"topic-{n:02d}", f"Topic {n:02d}", "") for n in range(1, extra + 1)]
    have = {
        t["slug"] for t in admin.must("GET", "tags/?limit=all&filter=visibility:public")["tags"]
    }
    for slug, name, description in wanted:
        if slug not in have:
            admin.must(
                "POST",
                "tags/",
                {"tags": [{"name": name, "slug": slug, "description": description}]},
            )
    return [slug for slug, _, _ in wanted]


def _lexical(markdown: str) -> str:
    """A Lexical document holding one Markdown card: Ghost renders the Markdown itself."""
    card = {"type": "markdown", "version": 1, "markdown": markdown}
    root = {
        "children": [card],
        "direction": None,
        "format": "",
        "indent": 0,
        "type": "root",
        "version": 1,
    }
    return json.dumps({"root": root})


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def create_post(admin: Admin, fields: dict[str, Any]) -> dict[str, Any]:
    answer = admin.must("POST", "posts/", {"posts": [fields]})
    return dict(answer["posts"][0])


def find_post(admin: Admin, slug: str) -> dict[str, Any] | None:
    answer = admin.get(f"posts/slug/{slug}/", ok_404=True)
    return None if answer is None else dict(answer["posts"][0])


def seed_demo(admin: Admin, writers: dict[str, str], now: datetime) -> dict[str, dict[str, Any]]:
    """The nine demo articles, each with its hero art uploaded to Ghost. slug -> post."""
    posts: dict[str, dict[str, Any]] = {}
    sample = find_post(admin, "coming-soon")  # Ghost's first-run sample post: not ours
    if sample is not None:
        admin.must("DELETE", f"posts/{sample['id']}/")
    for seed, item in enumerate(ALL_POSTS, start=1):
        post = find_post(admin, item.slug)
        if post is None:
            image = art.draw(seed, item.palette, bars=seed % 3 == 0)
            upload = _multipart(
                {"purpose": "image", "ref": item.slug}, "file", f"{item.slug}.jpg", image
            )
            hero = admin.must("POST", "images/upload/", upload)["images"][0]["url"]
            post = create_post(
                admin,
                {
                    "title": item.title,
                    "slug": item.slug,
                    "custom_excerpt": item.excerpt,
                    "lexical": _lexical(item.body),
                    "status": "published",
                    "featured": item.featured,
                    "visibility": "members" if item.members_only else "public",
                    "published_at": _iso(now - timedelta(days=item.days_ago, hours=seed)),
                    "feature_image": hero,
                    "feature_image_alt": item.hero_alt,
                    "feature_image_caption": item.caption or None,
                    "authors": [
                        {"id": writers[name]} for name in (item.author, *item.extra_authors)
                    ],
                    "tags": [{"slug": slug} for slug in item.tags],
                },
            )
        posts[item.slug] = post
    return posts


def seed_scale(
    admin: Admin,
    total: int,
    demo: dict[str, dict[str, Any]],
    writers: dict[str, str],
    tags: list[str],
) -> int:
    """Grow to ``total`` posts as ``load_demo_content --posts N`` does: copies of the demo
    bodies under new titles and slugs, spread over five years, two tags each."""
    have = admin.must("GET", "posts/?limit=1&fields=id")["meta"]["pagination"]["total"]
    sources = [(item, demo[item.slug]) for item in ALL_POSTS]
    authors = list(writers.values())
    now = datetime.now(UTC)
    created = 0
    for n in range(have + 1, total + 1):
        item, source = sources[n % len(sources)]
        slug = f"{item.slug}-{n}"
        if find_post(admin, slug) is not None:
            continue
        picked = list(dict.fromkeys([tags[n % len(tags)], tags[(n * 7 + 3) % len(tags)]]))
        create_post(
            admin,
            {
                "title": f"{item.title} (part {n})",
                "slug": slug,
                "custom_excerpt": item.excerpt,
                "lexical": _lexical(item.body),
                "status": "published",
                "visibility": source["visibility"],
                "published_at": _iso(now - timedelta(days=SPREAD_DAYS * n / (total + 1), hours=1)),
                "feature_image": source["feature_image"],
                "feature_image_alt": item.hero_alt,
                "authors": [{"id": authors[n % len(authors)]}],
                "tags": [{"slug": tag} for tag in picked],
            },
        )
        created += 1
        if created % 100 == 0:
            print(f"  {created} posts added", flush=True)
    return created


def content_key(admin: Admin) -> str:
    """The Content API key of the bench integration (created once)."""
    found = admin.must("GET", "integrations/?include=api_keys&limit=all")["integrations"]
    integration = next((i for i in found if i["name"] == INTEGRATION), None)
    if integration is None:
        body = {"integrations": [{"name": INTEGRATION}]}
        integration = admin.must("POST", "integrations/?include=api_keys", body)["integrations"][0]
    return str(next(k["secret"] for k in integration["api_keys"] if k["type"] == "content"))


def _object_id() -> str:
    """A Ghost/Mongo style id: 4 bytes of time, 8 random bytes, as 24 hex digits."""
    return f"{int(time.time()):08x}{secrets.token_hex(8)}"


def seed_comments(
    admin: Admin, db: Path, count: int, slug: str, writers: dict[str, str]
) -> dict[str, Any]:
    """Post ``slug`` with ``count`` comments from 20 members, every third a reply (see module
    doc); a slug that is not a post yet gets a short new post."""
    settings = {"settings": [{"key": "comments_enabled", "value": "all"}]}
    admin.must("PUT", "settings/", settings)
    post = find_post(admin, slug)
    if post is None:
        post = create_post(
            admin,
            {
                "title": "A busy post",
                "slug": slug,
                "lexical": _lexical(
                    "A post that many members talk about.\n\nRead the comments below."
                ),
                "status": "published",
                "authors": [{"id": next(iter(writers.values()))}],
                "tags": [{"slug": "engineering"}],
            },
        )
    members: list[str] = []
    for n in range(COMMENT_MEMBERS):
        email = f"m{n}@example.com"
        found = admin.must("GET", f"members/?filter=email:'{email}'")["members"]
        if found:
            members.append(found[0]["id"])
        else:
            body = {"members": [{"email": email, "name": f"Member {n}"}]}
            members.append(admin.must("POST", "members/", body)["members"][0]["id"])
    with sqlite3.connect(db, timeout=30) as conn:
        have = conn.execute(
            "SELECT count(*) FROM comments WHERE post_id = ?", (post["id"],)
        ).fetchone()[0]
        if have < count:
            conn.execute("DELETE FROM comments WHERE post_id = ?", (post["id"],))
            tops: list[str] = []
            start = datetime.now(UTC) - timedelta(minutes=count + 1)
            for n in range(count):
                parent = tops[n % len(tops)] if n % 3 == 2 and tops else None
                comment_id = _object_id()
                stamp = (start + timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M:%S")
                html = (
                    f'<p>Comment {n} with a link <a href="https://example.com/{n}" '
                    f'rel="nofollow ugc noopener">https://example.com/{n}</a> and some words.</p>'
                )
                conn.execute(
                    "INSERT INTO comments (id, post_id, member_id, parent_id, in_reply_to_id,"
                    " status, html, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, 'published', ?, ?, ?)",
                    (
                        comment_id,
                        post["id"],
                        members[n % COMMENT_MEMBERS],
                        parent,
                        parent,
                        html,
                        stamp,
                        stamp,
                    ),
                )
                if parent is None:
                    tops.append(comment_id)
    return post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:2368")
    parser.add_argument("--ghost-home", type=Path, default=Path("/work/ghost"))
    parser.add_argument("--posts", type=int, default=0, help="grow the site to N posts in all")
    parser.add_argument("--comments", type=int, default=0, help="add N comments on one post")
    parser.add_argument("--comments-post", default=COMMENT_POST, help="slug of that post")
    parser.add_argument("--export", type=Path, help="save Ghost's JSON export (GET /db/) here")
    args = parser.parse_args()
    db = args.ghost_home / "content" / "data" / "ghost.db"
    if not db.exists():
        parser.error(f"no Ghost database at {db}: run bench/ghost/setup.sh and start.sh first")

    admin = Admin(args.url)
    setup_owner(admin, AUTHORS[0], "Masthead demo on Ghost")
    writers = ensure_writers(admin, db)
    tags = ensure_tags(admin, EXTRA_TAGS if args.posts > len(ALL_POSTS) else 0)
    demo = seed_demo(admin, writers, datetime.now(UTC))
    if args.posts > len(ALL_POSTS):
        added = seed_scale(admin, args.posts, demo, writers, tags)
        print(f"posts added for --posts {args.posts}: {added}")
    print(f"Content API key: {content_key(admin)}")
    print(f"Admin: {args.url}/ghost/  {AUTHORS[0].username}@example.com / {PASSWORD}")
    for post in demo.values():
        print(f"post: {post['url']}")
    if args.comments:
        busy = seed_comments(admin, db, args.comments, args.comments_post, writers)
        print(f"{args.comments} comments on: {busy['url']}")
    if args.export:
        export = admin.must("GET", "db/")
        args.export.write_text(json.dumps(export))
        print(f"export: {args.export} ({args.export.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
