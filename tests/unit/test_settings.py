"""Settings: defaults, parsing, and errors that name the setting and its fix."""

import pytest

from bot.errors import StartupError
from bot.settings import DEFAULT_DATABASE_URL, load_settings
from storage.db import BadDatabaseUrl, database_url

TOKEN = "123456789:AAExampleExampleExampleExampleExample"
NAMES = ["BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "TELEGRAM_FRAMEWORK", "BOT_ADMINS"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in [*NAMES, "TIMEZONE", "COMMUNITY_CONFIG"]:
        monkeypatch.delenv(name, raising=False)


def test_defaults_run_on_sqlite_with_aiogram_in_chengdu_time():
    settings = load_settings(env_file=None)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.telegram_framework == "aiogram"
    assert str(settings.telegram_api_url) == "https://api.telegram.org/"
    assert settings.tz.key == "Asia/Shanghai"
    assert settings.bot_admins == ()
    assert settings.bot_token is None


def test_admins_are_a_comma_separated_list_of_ids(monkeypatch):
    monkeypatch.setenv("BOT_ADMINS", " 12345678, 87654321;42 ")
    assert load_settings(env_file=None).bot_admins == (12345678, 87654321, 42)


def test_the_token_is_secret_and_required_only_to_run(monkeypatch):
    settings = load_settings(env_file=None)
    with pytest.raises(StartupError, match=r"BOT_TOKEN is not set.*@BotFather"):
        settings.require_token()
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings(env_file=None)
    assert settings.require_token() == TOKEN
    assert TOKEN not in repr(settings)


def test_a_blank_token_counts_as_unset(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "   ")
    assert load_settings(env_file=None).bot_token is None


def test_dot_env_is_read(tmp_path):
    env = tmp_path / ".env"
    env.write_text(f"BOT_TOKEN={TOKEN}\nTELEGRAM_FRAMEWORK=ptb\n", encoding="utf-8")
    settings = load_settings(env_file=env)
    assert settings.telegram_framework == "ptb"
    assert settings.require_token() == TOKEN


def test_every_bad_setting_is_reported_at_once_with_its_fix(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "12345")
    monkeypatch.setenv("TELEGRAM_API_URL", "not a url")
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(StartupError) as error:
        load_settings(env_file=None)
    message = str(error.value)
    assert error.value.exit_code == 2
    assert "BOT_TOKEN is not valid" in message and "@BotFather" in message
    assert "TELEGRAM_API_URL is not valid" in message
    assert 'TIMEZONE is not valid: "Mars/Olympus" is not a known time zone' in message


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql://u:p@h:5433/db", "postgresql+asyncpg://u:p@h:5433/db"),
    ],
)
def test_plain_database_urls_get_the_async_driver(given, used):
    assert database_url(given).render_as_string(hide_password=False) == used


@pytest.mark.parametrize("bad", ["mysql://h/db", "sqlite://", "nonsense"])
def test_unusable_database_urls_are_refused(bad):
    with pytest.raises(BadDatabaseUrl):
        database_url(bad)
