import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead import env


def test_env_bytes_reads_units(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_SIZE", "20MB")
    assert env.env_bytes("X_SIZE", 1) == 20_000_000  # MB of 1,000,000 bytes (ADR 0412)


def test_env_bool_rejects_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG")


def test_secret_has_no_fallback_without_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.delenv("X_SECRET_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET is not set"):
        env.env_secret("X_SECRET", debug=False, dev_value="dev")
    assert env.env_secret("X_SECRET", debug=True, dev_value="dev") == "dev"
