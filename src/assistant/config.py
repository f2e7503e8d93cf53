"""Settings: every one a name, a default and a line of help, read from the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default and help text."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ASSISTANT_CORPUS", "corpus", "Folder of bulletins to serve (.txt, .md, .docx, .pdf)."),
    Setting("ASSISTANT_INDEX", "index", "Folder for the built index; rebuilt automatically when stale."),
    Setting("ASSISTANT_EMERGENCY_NUMBER", "999", "Number shown first when a child is in immediate danger."),
    Setting("ASSISTANT_TOP_K", "3", "How many passages an answer quotes."),
    Setting(
        "ASSISTANT_ALLOWED_ORIGINS",
        "http://127.0.0.1:8001,http://localhost:8001",
        "Comma-separated origins whose pages may embed the widget and call the API (CORS).",
    ),
    Setting("ASSISTANT_RATE_LIMIT", "30/minute", "Questions per client per period (N/second|minute|hour), or 'off'."),
    Setting("ASSISTANT_TRUSTED_PROXIES", "", "Comma-separated proxy addresses whose X-Forwarded-For is believed."),
    Setting("ASSISTANT_LOG_QUESTIONS", "off", "'on' logs question text (redacted); off by default for privacy."),
    Setting("ASSISTANT_WEB_DIR", "", "Folder of the chat page and widget files (default: web/ beside src/)."),
)


def _default_web_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "web"


@dataclass(frozen=True)
class Settings:
    """The settings in force, as typed values."""

    corpus: Path
    index: Path
    emergency_number: str
    top_k: int
    allowed_origins: tuple[str, ...]
    rate_limit: str
    trusted_proxies: tuple[str, ...]
    log_questions: bool
    web_dir: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from environment variables (or a given mapping), with explicit overrides on top."""
        env = os.environ if env is None else env
        raw = {s.env: env.get(s.env, s.default) for s in SETTINGS}
        values = dict(
            corpus=Path(raw["ASSISTANT_CORPUS"]),
            index=Path(raw["ASSISTANT_INDEX"]),
            emergency_number=raw["ASSISTANT_EMERGENCY_NUMBER"].strip() or "999",
            top_k=_positive_int(raw["ASSISTANT_TOP_K"], "ASSISTANT_TOP_K"),
            allowed_origins=_split(raw["ASSISTANT_ALLOWED_ORIGINS"]),
            rate_limit=_rate(raw["ASSISTANT_RATE_LIMIT"]),
            trusted_proxies=_split(raw["ASSISTANT_TRUSTED_PROXIES"]),
            log_questions=raw["ASSISTANT_LOG_QUESTIONS"].strip().lower() in ("1", "on", "true", "yes"),
            web_dir=Path(raw["ASSISTANT_WEB_DIR"]) if raw["ASSISTANT_WEB_DIR"] else _default_web_dir(),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _rate(value: str) -> str:
    value = value.strip().lower()
    if value not in ("off", "none") and not re.fullmatch(r"\d+\s*/\s*(second|minute|hour)", value) or value.startswith("0"):
        raise SettingsError(f"ASSISTANT_RATE_LIMIT must look like 30/minute (second, minute or hour) or 'off', not {value!r}")
    return value


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise SettingsError(f"{name} must be a positive whole number, not {value!r}")
    return number
