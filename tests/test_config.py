"""Settings: read from the environment, validated, and every one documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import SETTINGS, Settings, SettingsError
from conftest import ROOT


def test_defaults():
    settings = Settings.from_env({})
    assert settings.corpus == Path("corpus") and settings.index == Path("index")
    assert settings.emergency_number == "999" and settings.top_k == 3
    assert "http://127.0.0.1:8001" in settings.allowed_origins
    assert not settings.log_questions


def test_environment_and_overrides():
    env = {"ASSISTANT_CORPUS": "/srv/bulletins", "ASSISTANT_EMERGENCY_NUMBER": "112",
           "ASSISTANT_ALLOWED_ORIGINS": "https://lscb.example, https://www.lscb.example"}
    settings = Settings.from_env(env, index=Path("/tmp/i"))
    assert settings.corpus == Path("/srv/bulletins") and settings.index == Path("/tmp/i")
    assert settings.emergency_number == "112"
    assert settings.allowed_origins == ("https://lscb.example", "https://www.lscb.example")


def test_bad_value_is_a_clear_error():
    with pytest.raises(SettingsError, match="ASSISTANT_TOP_K"):
        Settings.from_env({"ASSISTANT_TOP_K": "lots"})


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_readme_documents_every_setting(setting):
    assert f"`{setting.env}`" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["lots", "30/fortnight", "0/minute", "-1/second"])
def test_bad_rate_limit_is_a_clear_error(value):
    with pytest.raises(SettingsError, match="ASSISTANT_RATE_LIMIT"):
        Settings.from_env({"ASSISTANT_RATE_LIMIT": value})


@pytest.mark.parametrize("value", ["30/minute", "5 / second", "off", "OFF"])
def test_good_rate_limits(value):
    assert Settings.from_env({"ASSISTANT_RATE_LIMIT": value}).rate_limit == value.strip().lower()
