"""Process settings from the environment and `.env`, read once by the composition root."""

import re
from pathlib import Path
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.errors import StartupError
from storage.db import BadDatabaseUrl, database_url

_TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
_ANY_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")  # what a local Bot API server (the sandbox) takes
OFFICIAL_API = "https://api.telegram.org"

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/courtyard.db"

# How to fix each setting, said once here and shown whenever it is wrong.
FIXES = {
    "BOT_TOKEN": (
        "Get a token from @BotFather in Telegram (send it /newbot and follow the steps), then put "
        "BOT_TOKEN=<the token> in the .env file next to the Makefile, or export it in your shell. "
        "A token looks like 123456789:AAExampleExampleExampleExampleExample."
    ),
    "DATABASE_URL": (
        f"Leave it unset for the built-in SQLite file ({DEFAULT_DATABASE_URL}), or use "
        "postgresql+asyncpg://user:password@host:5432/dbname for PostgreSQL."
    ),
    "TELEGRAM_API_URL": (
        "Leave it unset for Telegram itself, or give the address of a Bot API server, "
        "such as http://127.0.0.1:8081."
    ),
    "TELEGRAM_FRAMEWORK": "Use aiogram (the default) or ptb (python-telegram-bot).",
    "BOT_ADMINS": (
        "Give the Telegram user ids of the community office's administrators, separated by "
        "commas, such as BOT_ADMINS=12345678,87654321 (ask @userinfobot for your id)."
    ),
    "TIMEZONE": "Use a time zone name such as Asia/Shanghai (the default).",
    "COMMUNITY_CONFIG": "Give the path of the community YAML file, such as community.yaml.",
    "DATABASE_CONNECT_ATTEMPTS": "Give a whole number of tries, from 1 to 100 (default 5).",
    "DATABASE_CONNECT_DELAY": "Give the seconds between tries, from 0 to 60 (default 2).",
    "SEND_RATE_GLOBAL": "Give messages per second for the whole bot (default 30, 0 = no limit).",
    "SEND_RATE_CHAT": "Give messages per second in one chat (default 1, 0 = no limit).",
    "SEND_RATE_GROUP": "Give messages per minute in one group (default 20, 0 = no limit).",
    "ALBUM_WAIT": (
        "Give the seconds to wait for the rest of an album after its last photo, from 0.1 to 30 "
        "(default 1.5)."
    ),
    "SWEEP_EVERY": (
        "Give the seconds between SLA sweeps (reminders and escalations), from 1 to 600 "
        "(default 30)."
    ),
    "WEBHOOK_LISTEN": "Give host:port for the webhook server, such as 0.0.0.0:8080 (the default).",
    "WEBHOOK_SECRET": (
        "Give 1 to 256 characters of A-Z, a-z, 0-9, _ and -; leave it unset to derive one from "
        "the token (the same on every instance)."
    ),
}


class Settings(BaseSettings):
    """Everything the process needs to know from outside, validated."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: AnyHttpUrl = AnyHttpUrl(OFFICIAL_API)
    telegram_framework: Literal["aiogram", "ptb"] = "aiogram"
    bot_admins: Annotated[tuple[int, ...], NoDecode] = ()
    timezone: str = "Asia/Shanghai"
    community_config: Path | None = None
    database_connect_attempts: int = Field(default=5, ge=1, le=100)
    database_connect_delay: float = Field(default=2.0, ge=0, le=60)
    send_rate_global: float = Field(default=30, ge=0)
    send_rate_chat: float = Field(default=1, ge=0)
    send_rate_group: float = Field(default=20, ge=0)
    album_wait: float = Field(default=1.5, ge=0.1, le=30)
    sweep_every: float = Field(default=30, ge=0.05, le=600)  # below 1 s: for tests
    webhook_listen: str = Field(default="0.0.0.0:8080", pattern=r"^[^:\s]*:\d{1,5}$")
    webhook_secret: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,256}$")

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not _ANY_TOKEN.match(value):
                raise ValueError("it does not look like a bot token")
        return value

    @model_validator(mode="after")
    def _telegram_token_shape(self) -> Self:
        """Telegram's own server only issues long tokens; a local server may take any."""
        official = self.api_url == OFFICIAL_API
        if official and self.bot_token and not _TOKEN.match(self.bot_token.get_secret_value()):
            raise ValueError(
                "BOT_TOKEN: it does not look like a token from @BotFather (a local Bot API "
                "server in TELEGRAM_API_URL accepts short tokens such as 123:abc)"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            database_url(value)
        except BadDatabaseUrl as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("bot_admins", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            bad = [p for p in parts if not re.fullmatch(r"-?\d+", p)]
            if bad:
                raise ValueError(f"{', '.join(bad)} is not a Telegram user id (a number)")
            return tuple(int(p) for p in parts)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'"{value}" is not a known time zone') from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The community's local time zone."""
        return ZoneInfo(self.timezone)

    @property
    def api_url(self) -> str:
        """The Bot API server's address, without a trailing slash."""
        return str(self.telegram_api_url).rstrip("/")

    @property
    def webhook_address(self) -> tuple[str, int]:
        """Where the webhook server listens."""
        host, _, port = self.webhook_listen.rpartition(":")
        return host or "0.0.0.0", int(port)

    def require_token(self) -> str:
        """The bot token, or a StartupError that says how to get one."""
        if self.bot_token is None:
            raise StartupError(f"BOT_TOKEN is not set. {FIXES['BOT_TOKEN']}")
        return self.bot_token.get_secret_value()


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read settings once; a bad value becomes a StartupError naming the setting and the fix."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = str(item["loc"][0]).upper() if item["loc"] else "settings"
            reason = item["msg"].removeprefix("Value error, ")
            if not item["loc"]:  # a check across settings names its setting first
                name, _, reason = reason.partition(": ")
            problems.append(f"{name} is not valid: {reason}. {FIXES.get(name, '')}".strip())
        raise StartupError("\n".join(problems)) from None
