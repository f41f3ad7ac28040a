"""Helpers for the sandbox tests: the test token, a raw Bot API client, a hand-moved clock."""

import json
from dataclasses import dataclass
from typing import Any

import aiohttp

TOKEN = "123456:TEST-token_abc"
BOT_ID = 123456


@dataclass
class Answer:
    """One Bot API answer: HTTP status and the JSON envelope."""

    status: int
    body: dict[str, Any]

    @property
    def result(self) -> Any:
        assert self.body["ok"], self.body
        return self.body["result"]

    @property
    def description(self) -> str:
        return self.body["description"]


class RawApi:
    """Calls /bot<token>/<method> with JSON (default), a form, or multipart uploads."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str = TOKEN) -> None:
        self.session = session
        self.url = url
        self.token = token

    async def __call__(self, method: str, files: dict[str, Any] | None = None, **params) -> Answer:
        url = f"{self.url}/bot{self.token}/{method}"
        if files is None:
            async with self.session.post(url, json=params) as response:
                return Answer(response.status, await response.json())
        form = aiohttp.FormData()
        for key, value in params.items():
            form.add_field(key, value if isinstance(value, str) else json.dumps(value))
        for key, (name, data) in files.items():
            form.add_field(key, data, filename=name)
        async with self.session.post(url, data=form) as response:
            return Answer(response.status, await response.json())

    async def form(self, method: str, **params: str) -> Answer:
        """An application/x-www-form-urlencoded call, as python-telegram-bot makes them."""
        async with self.session.post(f"{self.url}/bot{self.token}/{method}", data=params) as r:
            return Answer(r.status, await r.json())

    async def control(self, verb: str, path: str, body: Any = None) -> Answer:
        """A call to the control API under /_sandbox/."""
        async with self.session.request(verb, f"{self.url}/_sandbox{path}", json=body) as r:
            return Answer(r.status, await r.json())


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
