"""Docs stay true: exit statuses, formats and JSON keys are all documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

from masthead.ocr import FORMATS, Document, ExitCode
from tests.ocr.export.sample import document

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA = (ROOT / "docs" / "ocr-json-schema.md").read_text(encoding="utf-8")


def test_every_exit_status_is_in_the_readme() -> None:
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)}
    assert documented == {code.value for code in ExitCode}


def test_every_format_is_in_the_readme_usage() -> None:
    usage = re.search(r"--format ([a-z|]+)", README)
    assert usage is not None and set(usage.group(1).split("|")) == set(FORMATS)


def test_the_schema_example_is_valid() -> None:
    example = re.search(r"```json\n(.*?)```", SCHEMA, re.DOTALL)
    assert example is not None
    doc = Document.from_dict(json.loads(example.group(1)))
    assert doc.pages[0].blocks[0].lines[0].words[0].text == "Total:"


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_json_key_is_in_the_schema_doc() -> None:
    table = set(re.findall(r"`(?:[a-z\[\]]+\.)?([a-z_]+)`", SCHEMA))
    assert _keys(document().to_dict()) <= table
