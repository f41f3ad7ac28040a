"""serve(): what `python -m bot sandbox` runs until it is stopped."""

import asyncio
import re

import aiohttp
import pytest

from bot.sandbox import Limits, serve


async def test_serve_prints_how_to_run_the_bot_and_stops_when_cancelled(capsys):
    task = asyncio.create_task(serve("127.0.0.1", 0, Limits.off(), bot_username="jinhua_bot"))
    printed = ""
    while "BOT_TOKEN" not in printed:
        await asyncio.sleep(0.01)
        printed += capsys.readouterr().out
    url = re.search(r"TELEGRAM_API_URL=(\S+) BOT_TOKEN=123:abc python -m bot run", printed)[1]
    assert url.startswith("http://127.0.0.1:")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/bot123:abc/getMe") as response:
            assert (await response.json())["result"]["username"] == "jinhua_bot"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"{url}/bot123:abc/getMe")
