"""docs/api.md, followed with curl: every ``sh`` example runs, in order, in one shell,
against a live server, from an upload without cookies to the result (issue 13 #10)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.contrib.auth.models import User

from masthead.tools import services
from masthead.tools.models import OcrJob
from tests.tools import engines, images

pytestmark = [pytest.mark.django_db(transaction=True)]

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def examples() -> list[str]:
    return SH_BLOCK.findall(DOC.read_text(encoding="utf-8"))


def run(script: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["/bin/bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"{script}\n--- stderr:\n{done.stderr}"
    return done.stdout


def test_every_documented_curl_example_works(
    live_server: Any, tmp_path: Path, tool_settings: Any
) -> None:
    assert shutil.which("curl") and shutil.which("jq")
    tool_settings.MASTHEAD_OCR_SYNC_MAX_BYTES = 0  # a queued job: the polling loop is used
    member = User.objects.create_user("kim", "kim@example.com", "a-long-enough-password-1")
    _key, token = services.api_key_create(member=member, name="docs")
    (tmp_path / "receipt.png").write_bytes(images.png())
    env = {"PATH": "/usr/bin:/bin", "BASE": live_server.url, "MASTHEAD_KEY": token}
    blocks = examples()
    assert len(blocks) == 8
    script = "\n".join(blocks[:4])  # upload, poll, text, pdf share the shell's variables
    out = run(script, tmp_path, env).split("\n")
    assert out[0] == "queued"  # the upload's answer: a job to poll, by capability URL
    assert out[1:3] == ["1", "1"]  # pages done of pages total
    assert "\n".join(out[3:]).split() == engines.TEXT.split()
    pdf = pdfium.PdfDocument((tmp_path / "receipt.pdf").read_bytes())
    assert pdf[0].get_textpage().get_text_range().split() == engines.TEXT.split()
    job = OcrJob.objects.get()
    assert job.owner is None and job.session_key == "" and job.capability
    tool_settings.MASTHEAD_OCR_SYNC_MAX_BYTES = 512_000
    assert run(blocks[4], tmp_path, env).split() == engines.TEXT.split()  # languages, format
    url = run(blocks[5], tmp_path, env).strip()  # with a key: the job's own URL
    assert url.startswith("/api/v1/ocr/jobs/") and OcrJob.objects.filter(owner=member).count() == 1
    assert run(blocks[6], tmp_path, env).split("\n")[:2] == ["receipt.png succeeded"] * 2
    assert run(blocks[7], tmp_path, env).strip() == "unsupported_type"
