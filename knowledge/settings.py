"""Typed settings of the app environment, loaded once from the environment.

Every process of the app environment (action server, gateway, knowledge CLI)
reads its configuration here. Values come from environment variables; a
``.env`` file at the project root is read first if present (variables already
set in the environment win). Defaults are safe for development.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"

# Levels as the national database names them.
LEVEL_PROVINCE = "Cấp tỉnh"
LEVEL_COMMUNE = "Cấp xã"
LEVEL_MINISTRY = "Cấp bộ"
LEVEL_OTHER = "Cơ quan khác"


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """The deployment's configuration. See the README's configuration table."""

    database_url: str = f"sqlite:///{VAR_DIR / 'tthc.db'}"
    redis_url: str | None = None
    province_name: str = "Sơn La"
    # Levels the deploying province serves, most preferred first.
    province_levels: tuple[str, ...] = (LEVEL_PROVINCE, LEVEL_COMMUNE)
    receipt_code_pattern: str = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    log_level: str = "INFO"
    # When staff answer people, as told to citizens who ask for a person.
    office_hours: str = "từ 7 giờ 30 đến 11 giờ 30 và từ 13 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu"
    # The gateway (bot/): where it listens and the URL citizens reach it at.
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    # Public https URL of the gateway; when set, Telegram uses a webhook there.
    public_url: str | None = None
    rasa_timeout_s: float = 15.0
    # Telegram: off unless a bot token is set. The API URL is overridable for tests.
    telegram_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    # Web pages allowed to embed the widget (scheme://host[:port]); the gateway's own always is.
    allowed_origins: tuple[str, ...] = ()
    # Input limits per sender: message length and messages per minute.
    max_message_chars: int = 1000
    messages_per_minute: int = 20
    # Shared secret of the one-stop system's signed dossier events (POST /api/v1/dossier-events).
    dossier_events_secret: str | None = None
    # "Huấn luyện lại": where runs keep their data and logs, the held-out questions a
    # new model must not do worse on (by more than the margin), how many loaded models to keep.
    training_dir: str = str(VAR_DIR / "training")
    retrain_test_data: str = str(PROJECT_ROOT / "tests" / "data" / "nlu_test.jsonl")
    retrain_margin: float = 0.01
    # A retraining goes on from the base model for this fraction of the configured epochs
    # (rasa train --finetune); 1 trains from scratch.
    retrain_epoch_fraction: float = 0.25
    models_kept: int = 5
    # Every Rasa server a retrained (or rolled-back) model is loaded into; default: RASA_URL only.
    # They must all read the model file (same machine or shared storage for CONSOLE_MODELS_DIR).
    rasa_model_urls: tuple[str, ...] = ()

    @property
    def model_targets(self) -> tuple[str, ...]:
        """The Rasa servers that serve the console's models."""
        return self.rasa_model_urls or (self.rasa_url,)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (default: ``.env`` + ``os.environ``)."""
        env = _read_dotenv(PROJECT_ROOT / ".env")
        env.update(os.environ if environ is None else environ)
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL", defaults.database_url),
            redis_url=env.get("REDIS_URL") or None,
            province_name=env.get("PROVINCE_NAME", defaults.province_name),
            province_levels=_split(env["PROVINCE_LEVELS"])
            if env.get("PROVINCE_LEVELS")
            else defaults.province_levels,
            receipt_code_pattern=env.get("RECEIPT_CODE_PATTERN", defaults.receipt_code_pattern),
            rasa_url=env.get("RASA_URL", defaults.rasa_url).rstrip("/"),
            rasa_token=env.get("RASA_TOKEN", defaults.rasa_token),
            actions_host=env.get("ACTIONS_HOST", defaults.actions_host),
            actions_port=int(env.get("ACTIONS_PORT", defaults.actions_port)),
            log_level=env.get("LOG_LEVEL", defaults.log_level).upper(),
            office_hours=env.get("OFFICE_HOURS", defaults.office_hours),
            gateway_host=env.get("GATEWAY_HOST", defaults.gateway_host),
            gateway_port=int(env.get("GATEWAY_PORT", defaults.gateway_port)),
            public_url=(env.get("PUBLIC_URL") or "").rstrip("/") or None,
            rasa_timeout_s=float(env.get("RASA_TIMEOUT_S", defaults.rasa_timeout_s)),
            telegram_token=env.get("TELEGRAM_TOKEN") or None,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            telegram_api_url=env.get("TELEGRAM_API_URL", defaults.telegram_api_url),
            allowed_origins=_split(env.get("ALLOWED_ORIGINS", "")),
            max_message_chars=int(env.get("MAX_MESSAGE_CHARS", defaults.max_message_chars)),
            messages_per_minute=int(env.get("MESSAGES_PER_MINUTE", defaults.messages_per_minute)),
            dossier_events_secret=env.get("DOSSIER_EVENTS_SECRET") or None,
            training_dir=env.get("TRAINING_DIR", defaults.training_dir),
            retrain_test_data=env.get("RETRAIN_TEST_DATA", defaults.retrain_test_data),
            retrain_margin=float(env.get("RETRAIN_MARGIN", defaults.retrain_margin)),
            retrain_epoch_fraction=float(env.get("RETRAIN_EPOCH_FRACTION", defaults.retrain_epoch_fraction)),
            models_kept=int(env.get("MODELS_KEPT", defaults.models_kept)),
            rasa_model_urls=tuple(url.rstrip("/") for url in _split(env.get("RASA_MODEL_URLS", ""))),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings.from_env()
