"""The real process, as an operator starts it: `python -m bot ...` with its settings."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import create_engine
from storage.migrate import pending_revisions
from tests.support import postgres_url, require_postgres, run_blocking, scratch_database

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAExampleExampleExampleExampleExample"
SETTINGS = [
    "BOT_TOKEN",
    "DATABASE_URL",
    "TELEGRAM_API_URL",
    "TELEGRAM_FRAMEWORK",
    "BOT_ADMINS",
    "TIMEZONE",
    "COMMUNITY_CONFIG",
]


def environment(**settings: str) -> dict[str, str]:
    """This environment without our settings, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return env | {"PYTHONPATH": str(ROOT), "DATABASE_CONNECT_DELAY": "0", **settings}


def bot(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` in `cwd` with only the given settings."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment(**settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def tables(db_file: Path) -> set[str]:
    with sqlite3.connect(db_file) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_help_lists_the_commands(workdir):
    result = bot(workdir, "--help")
    assert result.returncode == 0
    for command in ["run", "migrate", "check", "sandbox"]:
        assert f"    {command} " in result.stdout


def test_run_without_a_token_says_what_to_set_and_how_to_get_one(workdir):
    result = bot(workdir, "run")
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr
    assert "@BotFather" in result.stderr and "/newbot" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workdir / "data").exists()  # stopped before touching anything


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN is not valid"),
        ("DATABASE_URL", "mysql://localhost/x", "DATABASE_URL is not valid"),
        ("DATABASE_URL", "::::", "DATABASE_URL is not valid"),
        ("TELEGRAM_FRAMEWORK", "telethon", "TELEGRAM_FRAMEWORK is not valid"),
        ("BOT_ADMINS", "12,bob", "BOT_ADMINS is not valid"),
        ("TIMEZONE", "Chengdu/Downtown", "TIMEZONE is not valid"),
    ],
)
def test_a_malformed_setting_is_named_with_its_fix(workdir, setting, value, named):
    result = bot(workdir, "migrate", **{setting: value})
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_are_read_from_dot_env(workdir):
    (workdir / ".env").write_text("TELEGRAM_FRAMEWORK=telethon\n", encoding="utf-8")
    result = bot(workdir, "migrate")
    assert result.returncode == 2 and "TELEGRAM_FRAMEWORK is not valid" in result.stderr


def test_migrate_creates_the_sqlite_schema_by_default_and_is_idempotent(workdir):
    first = bot(workdir, "migrate")
    assert first.returncode == 0, first.stderr
    assert "migrations applied: 0001, 0002" in first.stdout
    db_file = workdir / "data" / "courtyard.db"
    assert {"ticket", "ticket_event", "outbox", "conversation", "job_claim"} <= tables(db_file)
    again = bot(workdir, "migrate")
    assert again.returncode == 0 and "up to date" in again.stdout


def test_check_after_migrate_loads_the_community_into_the_database(workdir):
    assert bot(workdir, "migrate").returncode == 0
    result = bot(workdir, "check", BOT_TOKEN=TOKEN)
    assert result.returncode == 0, result.stderr
    assert "community 锦城社区: 2 compounds, 7 buildings, 3 teams" in result.stdout
    assert "using community.example.yaml" in result.stderr  # no community.yaml yet
    with sqlite3.connect(workdir / "data" / "courtyard.db") as connection:
        names = [n for (n,) in connection.execute("SELECT name FROM compound ORDER BY code")]
    assert names == ["锦华苑", "天府花园"]


def test_run_before_migrate_says_to_migrate(workdir):
    result = bot(workdir, "run", BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert "python -m bot migrate" in result.stderr


def test_an_unreachable_database_is_retried_then_reported(workdir):
    result = bot(workdir, "migrate", DATABASE_URL="postgresql://nobody@127.0.0.1:1/courtyard")
    assert result.returncode == 1
    assert result.stderr.count("not reachable (attempt") == 4
    assert "cannot reach the database postgresql+asyncpg://nobody@127.0.0.1:1/courtyard" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_yaml_syntax_error_names_the_file_and_line(workdir):
    bad = workdir / "community.yaml"
    bad.write_text("name: 锦城社区\ncompounds:\n  - code: JH\n   name: x\n", encoding="utf-8")
    result = bot(workdir, "check")
    assert result.returncode == 2
    assert "community.yaml at line 4" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("grid: JH-G2}", "grid: JH-G9}"), 'compounds[0].buildings[2].grid: unknown grid "JH-G9"'),
        (
            ("{first_response: 4h, resolution: 24h}", "{first_response: soon, resolution: 24h}"),
            'sla.clocks.medium.first_response: "soon" is not a duration',
        ),
        (("kind: community", "kind: communty"), "teams[2].kind: Input should be"),
    ],
)
def test_a_bad_community_key_is_named_by_its_path(workdir, change, named):
    text = (workdir / "community.example.yaml").read_text("utf-8")
    assert change[0] in text
    (workdir / "mine.yaml").write_text(text.replace(*change, 1), encoding="utf-8")
    result = bot(workdir, "check", COMMUNITY_CONFIG="mine.yaml")
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_community_file_says_how_to_make_one(workdir):
    result = bot(workdir, "check", COMMUNITY_CONFIG="nowhere.yaml")
    assert result.returncode == 2
    assert "nowhere.yaml does not exist" in result.stderr
    assert "community.example.yaml" in result.stderr


@pytest.mark.postgres
def test_migrate_creates_the_schema_on_postgresql(workdir):
    url = postgres_url()
    require_postgres(url)

    async def migrate_and_inspect() -> tuple[subprocess.CompletedProcess[str], list[str]]:
        async with scratch_database(url) as scratch:
            plain = scratch.render_as_string(hide_password=False)
            result = bot(workdir, "migrate", DATABASE_URL=plain)
            engine = create_engine(scratch)
            try:
                return result, await pending_revisions(engine)
            finally:
                await engine.dispose()

    result, pending = run_blocking(migrate_and_inspect())
    assert result.returncode == 0, result.stderr
    assert "migrations applied: 0001, 0002" in result.stdout
    assert pending == []
