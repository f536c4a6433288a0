"""Options are frozen, validated, and survive a JSON trip (they travel through Celery)."""

from __future__ import annotations

import json

import pytest

from masthead.ocr.options import DEFAULT_OPTIONS, Limits, OcrOptions


def test_defaults_are_safe() -> None:
    assert DEFAULT_OPTIONS.engine == "auto"
    assert DEFAULT_OPTIONS.limits == Limits(50_000_000, 40_000_000, 100)
    assert DEFAULT_OPTIONS.threads == 1


def test_round_trip_through_json() -> None:
    options = OcrOptions(
        engine="tesseract", languages=("eng", "deu"), limits=Limits(1000, 2000, 3, 4.5), threads=2
    )
    assert OcrOptions.from_dict(json.loads(json.dumps(options.to_dict()))) == options


def test_unknown_keys_fail_loudly() -> None:
    with pytest.raises(TypeError):
        OcrOptions.from_dict({"engnie": "rapid"})


@pytest.mark.parametrize("bad", [{"max_pages": 0}, {"max_bytes": -1}, {"timeout": 0}])
def test_limits_must_be_positive(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="positive"):
        Limits(**bad)


def test_languages_become_a_tuple_and_options_are_frozen() -> None:
    options = OcrOptions(languages=["eng"])  # type: ignore[arg-type]
    assert options.languages == ("eng",)
    assert options.replace(engine="rapid").engine == "rapid"
    with pytest.raises(AttributeError):
        options.engine = "rapid"  # type: ignore[misc]
    with pytest.raises(ValueError, match="threads"):
        OcrOptions(threads=0)
