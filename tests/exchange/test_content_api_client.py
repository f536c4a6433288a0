"""Ghost's official ``@tryghost/content-api`` client (npm) reads a live Masthead.

The client is pinned in tests/exchange/js/package-lock.json; ``.ci/run`` installs it with
``npm ci`` (so does this test when node_modules is missing and npm is on the machine).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from masthead.exchange import keys
from tests.exchange.site import build_site

JS = Path(__file__).parent / "js"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def node() -> str:
    node = shutil.which("node")
    npm = shutil.which("npm")
    assert node and npm, "Node.js and npm are needed: .ci/run installs them"
    if not (JS / "node_modules" / "@tryghost" / "content-api").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=300)
    return node


def test_official_client_reads_posts_tags_authors(node: str, live_server: Any) -> None:
    site = build_site()
    key = keys.content_key_create(name="js client").key
    revoked = keys.content_key_create(name="old").key
    keys.content_key_revoke(key=revoked)
    result = subprocess.run(
        [node, "read_site.js", live_server.url, key, revoked],
        cwd=JS, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)

    assert out["firstPage"]["slugs"] == ["locks", "models"]
    assert out["firstPage"]["meta"]["pagination"]["total"] == 4
    assert out["firstPage"]["meta"]["pagination"]["next"] == 2
    sample = out["firstPage"]["sample"]
    assert sample["primary_tag"]["slug"] == "security"
    assert sample["authors"][0]["slug"] == "ada"
    assert out["secondPage"]["slugs"] == ["phishing", "colour"]
    assert out["all"]["keys"] == ["slug", "title"]
    assert out["taggedFeatured"] == ["locks"]
    assert out["eitherTag"] == ["locks", "models", "phishing"]
    assert out["byAuthor"] == ["locks", "models", "colour"]
    assert out["orderedTitles"] == sorted(out["orderedTitles"])
    assert out["plaintext"]["phishing"] == ""  # members-only body withheld
    assert "Some words." in out["plaintext"]["locks"]
    assert out["readBySlug"] == {"slug": "locks", "authors": ["ada"]}
    assert out["readById"] == "locks"
    assert ["security", 2] in out["tags"] and ["design", 1] in out["tags"]
    assert out["tag"] == "Security"
    assert out["authors"] == ["ada", "grace"]
    assert out["author"] == site.ada.display_name
    assert out["pages"]["count"] == 0
    assert out["settingsTitle"]
    assert out["missing"]["name"] == "NotFoundError"
    assert out["badFilter"]["name"] == "BadRequestError"
    assert out["badKey"]["name"] == "UnauthorizedError"
