"""Pushes queued updates to the bot's webhook, in order, retrying failures with a short backoff."""

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.sandbox.params import Upload
from bot.sandbox.updates import UpdateQueue, Webhook

# Runs a Bot API call the webhook answered with (Telegram allows one per answer).
ReplyRunner = Callable[[dict[str, Any], dict[str, Upload]], Awaitable[None]]

log = logging.getLogger("bot.sandbox")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookPusher:
    """One task that delivers the oldest pending update while a webhook is set."""

    def __init__(
        self,
        queue: UpdateQueue,
        run_reply: ReplyRunner | None = None,
        retry_delay: float = 0.05,
        max_delay: float = 1.0,
    ) -> None:
        self.queue = queue
        self.run_reply = run_reply
        self.retry_delay = retry_delay
        self.max_delay = max_delay
        self.delivered = 0
        self.attempts = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        queue.listeners.append(self._wake.set)

    def start(self) -> None:
        """Begin watching the queue (call inside the running loop)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        """Stop delivering; undelivered updates stay pending."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            delay = self.retry_delay
            while True:
                hook = self.queue.webhook
                if hook is None or not self.queue.pending:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                update = self.queue.pending[0]
                problem = await self._deliver(session, hook, update)
                if problem is None:
                    self.queue.remove(update)
                    self.delivered += 1
                    delay = self.retry_delay
                    continue
                hook.last_error_date = int(time.time())
                hook.last_error_message = problem
                log.debug("webhook delivery of %s failed: %s", update["update_id"], problem)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)

    async def _deliver(
        self, session: aiohttp.ClientSession, hook: Webhook, update: dict[str, Any]
    ) -> str | None:
        """POST one update; None when the webhook answered 2XX, else Telegram's error text."""
        headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
        self.attempts += 1
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                if not 200 <= response.status < 300:
                    await response.read()
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
                values, uploads = await _reply_call(response)
        except (aiohttp.ClientError, OSError, TimeoutError) as problem:
            return f"Connection failed: {problem.__class__.__name__}"
        if values.get("method") and self.run_reply is not None:
            await self.run_reply(values, uploads)
        return None


async def _reply_call(
    response: aiohttp.ClientResponse,
) -> tuple[dict[str, Any], dict[str, Upload]]:
    """A Bot API call in the webhook's answer: a JSON object or a multipart form with "method"."""
    values: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    if response.content_type == "multipart/form-data":
        reader = aiohttp.MultipartReader.from_response(response)
        while (part := await reader.next()) is not None:
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            data = await part.read()
            if part.filename:
                uploads[part.name] = Upload(
                    bytes(data), part.filename, part.headers.get("Content-Type")
                )
            else:
                values[part.name] = bytes(data).decode()
        return values, uploads
    body = await response.read()
    if response.content_type == "application/json" and body:
        try:
            parsed = json.loads(body)
        except ValueError:
            return values, uploads
        if isinstance(parsed, dict):
            values = parsed
    return values, uploads
