"""getUpdates long polling and webhook pushes, as Telegram runs them."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.sandbox.errors import TERMINATED, WEBHOOK_ACTIVE
from bot.sandbox.webhook import SECRET_HEADER


async def test_a_long_poll_returns_as_soon_as_an_update_arrives(api, resident):
    started = time.monotonic()
    poll = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await resident.send("你好")
    answer = await poll
    assert time.monotonic() - started < 1
    assert [u["message"]["text"] for u in answer.result] == ["你好"]


async def test_a_long_poll_without_updates_waits_for_its_timeout(api):
    started = time.monotonic()
    answer = await api("getUpdates", timeout=0.3)
    assert answer.result == []
    assert 0.25 < time.monotonic() - started < 1.5
    started = time.monotonic()
    assert (await api("getUpdates")).result == []  # timeout 0: short polling
    assert time.monotonic() - started < 0.2


async def test_offsets_confirm_updates(sandbox, api, resident):
    for text in ("一", "二", "三"):
        await resident.send(text)
    first = (await api("getUpdates")).result
    assert [u["update_id"] for u in first] == [100_000_001, 100_000_002, 100_000_003]
    assert len((await api("getUpdates", limit=2)).result) == 2
    assert sandbox.updates_pending() == 3
    rest = (await api("getUpdates", offset=first[1]["update_id"])).result
    assert [u["message"]["text"] for u in rest] == ["二", "三"]
    assert sandbox.updates_pending() == 2
    await resident.send("四")
    last = (await api("getUpdates", offset=-1)).result
    assert [u["message"]["text"] for u in last] == ["四"]
    assert len(sandbox.updates_pending()) == 1  # earlier ones are forgotten
    assert (await api("getUpdates", offset=last[0]["update_id"] + 1)).result == []
    assert sandbox.updates_pending() == []


async def test_a_second_poll_ends_the_first_with_409(api):
    first = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(api("getUpdates", timeout=0.1))
    answer = await first
    assert answer.status == 409
    assert answer.description == f"Conflict: {TERMINATED}"
    assert (await second).result == []


async def test_allowed_updates_are_remembered(api, resident):
    await api("getUpdates", allowed_updates=["callback_query"])
    await resident.send("ignored")
    assert (await api("getUpdates")).result == []
    await api("getUpdates", allowed_updates=[])  # back to Telegram's default set
    await resident.send("seen")
    assert [u["message"]["text"] for u in (await api("getUpdates")).result] == ["seen"]


class Receiver:
    """A webhook endpoint in the test: fails the first `failures` deliveries, records the rest."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict] = []
        self.secrets: list[str | None] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.secrets.append(request.headers.get(SECRET_HEADER))
        if self.failures:
            self.failures -= 1
            return web.Response(status=500)
        self.received.append(await request.json())
        self.arrived.set()
        return web.json_response({})


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    hook = Receiver(failures=2)
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield hook, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def test_webhooks_get_updates_in_order_with_the_secret_after_retries(
    sandbox, api, resident, receiver
):
    hook, url = receiver
    await resident.send("早到的")
    assert (await api("setWebhook", url=url, secret_token="s3cret-Token_1")).result is True
    await resident.send("第二")
    await resident.send("第三")
    await sandbox.wait_until(lambda: len(hook.received) == 3, 5)
    assert [u["message"]["text"] for u in hook.received] == ["早到的", "第二", "第三"]
    assert set(hook.secrets) == {"s3cret-Token_1"}
    assert len(hook.secrets) == 5  # two failed attempts, then three deliveries
    assert sandbox.updates_pending() == 0
    info = (await api("getWebhookInfo")).result
    assert info["url"] == url and info["pending_update_count"] == 0
    assert (
        info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    )
    conflict = await api("getUpdates")
    assert (conflict.status, conflict.description) == (409, f"Conflict: {WEBHOOK_ACTIVE}")


async def test_a_webhook_that_is_down_keeps_updates_pending(sandbox, api, resident):
    await api("setWebhook", url="http://127.0.0.1:9/down")
    await resident.send("等着")
    await sandbox.wait_until(lambda: sandbox.webhooks.attempts >= 2, 5)
    assert sandbox.updates_pending() == 1
    info = (await api("getWebhookInfo")).result
    assert info["pending_update_count"] == 1 and info["last_error_date"] > 0
    await api("deleteWebhook")
    assert [u["message"]["text"] for u in (await api("getUpdates")).result] == ["等着"]


async def test_setting_a_webhook_ends_a_waiting_poll(api):
    poll = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    await api("setWebhook", url="http://127.0.0.1:9/hook")
    assert (await poll).status == 409


async def test_drop_pending_updates(sandbox, api, resident):
    await resident.send("旧的")
    await api("setWebhook", url="http://127.0.0.1:9/hook", drop_pending_updates=True)
    assert sandbox.updates_pending() == 0
    await api("deleteWebhook")
    await resident.send("又一个")
    await api("deleteWebhook", drop_pending_updates=True)
    assert (await api("getUpdates")).result == []
    bad = await api("setWebhook", url="ftp://x")
    assert bad.description == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"


async def test_stopping_the_sandbox_ends_a_waiting_poll(sandbox, api):
    poll = asyncio.create_task(api("getUpdates", timeout=30))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await sandbox.stop()
    assert (await poll).result == []
    assert time.monotonic() - started < 1
