"""The newcomer's path: `python -m bot sandbox`, then `python -m bot run` on it, answers /start."""

import json
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.test_cli import bot, environment
from tests.support import free_port


def control(base: str, path: str, body: dict | None = None) -> object:
    """Call the sandbox's control API; its result."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{base}/_sandbox{path}", data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["result"]


def start(cwd: Path, *args: str, **settings: str) -> subprocess.Popen[str]:
    """Start `python -m bot ARGS` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_listening(base: str, process: subprocess.Popen[str]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(process.communicate()[1])
        try:
            control(base, "")
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the sandbox did not start")


def stop(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
def test_the_bot_answers_start_through_the_sandbox(workdir, framework):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sandbox = start(workdir, "sandbox", "--port", str(port))
    try:
        wait_until_listening(base, sandbox)
        assert bot(workdir, "migrate").returncode == 0
        running = start(
            workdir, "run", BOT_TOKEN="123:abc", TELEGRAM_API_URL=base, TELEGRAM_FRAMEWORK=framework
        )
        try:
            control(base, "/users", {"id": 4242, "first_name": "王阿姨", "language_code": "zh"})
            control(base, "/users/4242/messages", {"text": "/start"})
            found = control(base, "/chats/4242/messages?count=1&timeout=30")
        finally:
            code, out, err = stop(running)
        [welcome] = found
        assert "您好，王阿姨" in welcome["text"]
        assert [b["text"] for row in welcome["buttons"] for b in row][-2:] == ["中文", "English"]
        assert code == 0, err
        assert "community 锦城社区: 2 compounds, 7 buildings, 3 teams" in out
    finally:
        stop(sandbox)
    with sqlite3.connect(workdir / "data" / "courtyard.db") as connection:
        [(name,)] = connection.execute("SELECT name FROM person WHERE telegram_id = 4242")
    assert name == "王阿姨"


def test_run_says_when_the_bot_api_cannot_be_reached(workdir):
    assert bot(workdir, "migrate").returncode == 0
    result = bot(
        workdir, "run", BOT_TOKEN="123:abc", TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}"
    )
    assert result.returncode == 1
    assert "TELEGRAM_API_URL" in result.stderr and "Traceback" not in result.stderr
