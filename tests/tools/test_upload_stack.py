"""Uploads against the real stack (gunicorn gthread, Redis broker), issue 10 findings 2 and 9.

Finding 2: a 200 MB declared body is refused with 413 before the server reads it, for a
visitor, a member with session cookie + CSRF header (what ocr.js sends) and an API key;
a chunked body is cut off once it passes the limit. The client streams the body from a
thread while it waits for the answer and counts what it managed to send: the server's
reads plus what the kernel's socket buffers took.

Finding 9: while uploads are held inside web requests (``engines.held``), the other
uploads are queued at once and ``/healthz`` and an article still answer.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.tools import images, stack
from tests.tools.stack import Stack, post_file, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.slow]

MB = 1024 * 1024
DECLARED = 200 * MB
AFTER_ANSWER = 2.0
"""Seconds the body keeps being sent after the answer. A server still reading it would take
hundreds of MB in that time over loopback; one that stopped leaves the sender blocked."""
BOUNDARY = "masthead-stack-boundary"
CSRF = "a" * 32  # any well-formed secret: the cookie and the header must only agree

MEMBER_SETUP = """
from django.contrib.auth.models import User
from django.test import Client
from masthead.tools import services
user = User.objects.create_user("mia", "mia@example.com", "a-long-enough-password-1")
client = Client()
client.force_login(user)
_, token = services.api_key_create(member=user, name="stack")
print(client.cookies["sessionid"].value, token)
"""


@dataclass
class Sent:
    status: int
    body: dict[str, Any]
    seconds: float
    sent: int


def _callers(s: Stack) -> dict[str, dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", MEMBER_SETUP],
        cwd=stack.ROOT, env=s.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    session, token = done.stdout.split()[-2:]
    return {
        "anonymous": {},
        "member-session-csrf": {
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
        },
        "api-key": {"Authorization": f"Bearer {token}"},
    }


def _read_response(sock: socket.socket) -> tuple[int, dict[str, Any]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before an answer"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split()[1]), json.loads(body[:length])


def stream_upload(
    s: Stack, path: str, headers: dict[str, str], *, declared: int | None, total: int
) -> Sent:
    """POST a body of ``total`` bytes (``declared`` None: chunked) while awaiting the answer."""
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=20)
    framing = (
        f"Content-Length: {declared}" if declared is not None else "Transfer-Encoding: chunked"
    )
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", framing,
             f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
             *(f"{name}: {value}" for name, value in headers.items())]  # fmt: skip
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    preamble = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    sent = 0

    def pump() -> None:
        nonlocal sent
        block = preamble + b"\0" * (65536 - len(preamble))
        try:
            while sent < total:
                frame = block if declared is not None else b"%x\r\n%s\r\n" % (len(block), block)
                sock.sendall(frame)
                sent += len(block)
                block = b"\0" * 65536
        except OSError:
            return  # the server answered and closed the connection

    started = time.perf_counter()
    sender = threading.Thread(target=pump, daemon=True)
    sender.start()
    try:
        status, body = _read_response(sock)
        seconds = time.perf_counter() - started
        sender.join(AFTER_ANSWER)
        settled = sent
    finally:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes a sender blocked in sendall
        sock.close()
        sender.join(5)
    return Sent(status, body, seconds, settled)


@pytest.fixture
def upload_stack(tmp_path: Path) -> Iterator[Stack]:
    base = tmp_path / "stack"  # tmp_path/upload-tmp belongs to the in-process tests
    (base / "upload-tmp").mkdir(parents=True)
    built = stack.build(base, MASTHEAD_UPLOAD_TEMP_DIR=str(base / "upload-tmp"),
                        MASTHEAD_OCR_MAX_BYTES="2MB", MASTHEAD_OCR_MAX_BYTES_MEMBER="4MB")  # fmt: skip
    yield from stack.running(built)


def test_declared_200mb_is_refused_unread_for_every_caller(upload_stack: Stack) -> None:
    s = upload_stack
    s.start_web()
    for caller, headers in _callers(s).items():
        answer = stream_upload(s, "/api/v1/ocr", headers, declared=DECLARED, total=DECLARED)
        assert answer.status == 413, (caller, answer)
        assert answer.body["error"]["code"] == "file_too_large", caller
        assert answer.seconds < 5, (caller, answer.seconds)
        # What was sent is what the socket buffers held, not the body: nothing read it.
        assert answer.sent < 32 * MB, (caller, answer.sent)
        print(f"{caller}: 413 in {answer.seconds * 1000:.0f} ms, {answer.sent / MB:.1f} MB sent")
    assert s.rows("SELECT count(*) FROM tools_ocrjob")[0][0] == 0
    assert not list((s.base / "upload-tmp").iterdir())


def test_chunked_stream_is_cut_off_past_the_limit(upload_stack: Stack) -> None:
    s = upload_stack
    s.start_web()
    for caller, headers in _callers(s).items():
        answer = stream_upload(s, "/api/v1/ocr", headers, declared=None, total=1024 * MB)
        assert answer.status == 413, (caller, answer)
        assert answer.body["error"]["code"] == "file_too_large", caller
        assert answer.sent < 4 * MB + 32 * MB, (caller, answer.sent)  # limit + socket buffers
        print(f"{caller}: chunked 413 in {answer.seconds * 1000:.0f} ms, {answer.sent / MB:.1f} MB")
    assert not list((s.base / "upload-tmp").iterdir())


@pytest.fixture
def held_stack(tmp_path: Path) -> Iterator[Stack]:
    (tmp_path / "hold").mkdir(parents=True)
    built = stack.build(tmp_path / "stack", MASTHEAD_OCR_SYNC_MAX_BYTES="512KB",
                        MASTHEAD_OCR_ENGINE_FACTORY="tests.tools.engines.held",
                        TEST_OCR_HOLD_DIR=str(tmp_path / "hold"))  # fmt: skip
    built.manage("load_demo_content")
    yield from stack.running(built)
    (tmp_path / "hold" / "release").touch()


def _answers_quickly(url: str) -> bool:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=5) as response:
        ok = response.status == 200
    return ok and time.perf_counter() - started < 2


def test_pages_answer_while_uploads_are_read_in_requests(held_stack: Stack, tmp_path: Path) -> None:
    s = held_stack
    s.start_web()  # 2 processes x 4 threads; one in-request reading slot per process
    hold = tmp_path / "hold"
    with urllib.request.urlopen(f"{s.url}/blog/", timeout=5) as response:
        article = re.search(
            r'class="card__title"><a href="(/[a-z0-9-]+/)"', response.read().decode()
        )
    assert article, "no article linked from /blog/"
    png = images.png()
    with ThreadPoolExecutor(10) as pool:
        uploads = [
            pool.submit(post_file, s.url, f"shot-{n}.png", png, "image/png") for n in range(10)
        ]

        def settled() -> bool:  # every upload answered or held by the engine in a request
            return sum(u.done() for u in uploads) + len(list(hold.glob("reading-*"))) == 10

        wait_for(settled, 30, "uploads neither answered nor being read")
        reading = len(list(hold.glob("reading-*")))
        queued = [u.result() for u in uploads if u.done()]
        assert 1 <= reading <= 2 and len(queued) == 10 - reading, (reading, len(queued))
        assert {status for status, _, _ in queued} == {202}
        assert all(body["status"] == "queued" for _, body, _ in queued)
        for path in ("/healthz", article.group(1), "/tools/ocr/"):
            assert _answers_quickly(f"{s.url}{path}"), path  # while uploads are held in requests
        (hold / "release").touch()
        answered = [u.result() for u in uploads]
    assert sorted(status for status, _, _ in answered) == [200] * reading + [202] * (10 - reading)
