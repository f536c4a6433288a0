"""The RapidOCR adapter's private reach-ins: all still there, or the upgrade fails here."""

from __future__ import annotations

import pytest

from masthead.ocr.engines import rapid
from masthead.ocr.errors import EngineUnavailableError


def test_every_private_name_the_adapter_uses_still_exists() -> None:
    assert rapid.missing_private_api() == [], (
        "RapidOCR or onnxruntime changed a private name engines/rapid.py relies on: "
        "update PRIVATE_REACH_INS and the adapter, or keep the pinned versions"
    )


def test_a_missing_private_name_makes_the_engine_unavailable_not_transient(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        rapid, "PRIVATE_REACH_INS", (*rapid.PRIVATE_REACH_INS, ("rapidocr.RapidOCR", "_gone"))
    )
    assert rapid.missing_private_api() == ["rapidocr.RapidOCR._gone"]
    with pytest.raises(EngineUnavailableError) as caught:
        rapid.RapidEngine()
    assert caught.value.code == "engine_unavailable" and not caught.value.transient
    assert "rapidocr.RapidOCR._gone" in caught.value.message


def test_models_that_fail_to_load_are_engine_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(threads: int) -> dict[str, object]:
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(rapid, "_params", broken)
    with pytest.raises(EngineUnavailableError) as caught:
        rapid.RapidEngine()
    assert "RuntimeError" in caught.value.message and not caught.value.transient
