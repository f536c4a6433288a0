"""The API against its own OpenAPI schema: schemathesis with its default checks.

Every generated request (valid and invalid data) must get a documented status, a body
that matches the documented schema, and never a server error. (Schemathesis' pytest
plugin does not load under this pytest, so the operations are driven with hypothesis.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from masthead.ocr import languages
from masthead.ocr.languages import MAX_LANGUAGES
from tests.tools import images

pytestmark = pytest.mark.django_db

# What a valid upload is cannot be said in JSON Schema (the content decides), so tell
# schemathesis how to make files of each declared type.
schemathesis.openapi.media_type(
    "image/png", st.builds(images.png, st.integers(40, 400), st.integers(20, 200))
)
schemathesis.openapi.media_type(
    "image/jpeg", st.builds(images.jpeg, st.integers(40, 400), st.integers(20, 200))
)
schemathesis.openapi.media_type("application/pdf", st.builds(images.pdf, st.integers(1, 2)))

MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]


INSTALLED = {lang.code for lang in languages.installed()}


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would
    close the test's transaction on PostgreSQL; Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_api_matches_its_schema(tool_settings: Any, keep_connection: None, mode: Any) -> None:
    tool_settings.MASTHEAD_OCR_RATE_ANON = 100_000
    operations = _operations()
    assert {op.label for op in operations} == {
        "POST /api/v1/ocr",
        "POST /api/v1/ocr/batch",
        "GET /api/v1/ocr/jobs/{job_id}",
        "GET /api/v1/ocr/results/{token}",
        "GET /api/v1/ocr/languages",
    }
    seen: list[int] = []
    if mode.value == "positive":
        # Schemathesis sends the items of an array of files as plain form fields (no
        # filename), which is not an upload in any client; valid batches are driven in
        # tests/tools/test_batch.py, and the negative mode still covers this operation.
        operations = [op for op in operations if op.label != "POST /api/v1/ocr/batch"]

    @given(data=st.data())
    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(data: Any) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy(generation_mode=mode))
        # An empty list in a multipart form is sent as no part at all, i.e. a valid request
        # that takes the default; schemathesis still counts it as invalid data.
        body = case.body if isinstance(case.body, dict) else {}
        assume(not any(value == [] for value in body.values()))
        # Only this server's installed languages (GET /ocr/languages) are accepted; the
        # pattern describes the grammar of a code, not that list (refusals: 422).
        codes = [code for code in str(body.get("languages", "")).split(",") if code]
        if mode.value == "positive":
            assume(len(codes) <= MAX_LANGUAGES and all(code in INSTALLED for code in codes))
        # Schemathesis reads bodies as sent; compression has its own tests (tests/core).
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
        seen.append(response.status_code)

    run()
    assert seen and all(status < 500 for status in seen)
