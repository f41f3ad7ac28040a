"""The bot's side over HTTP: /bot<token>/<method> and /file/bot<token>/<path>, as on Telegram."""

import inspect
import json
import logging
import re
from functools import partial
from typing import Any

from aiohttp import web

from bot.sandbox import chats, editing, methods, misc, sending
from bot.sandbox.errors import NOT_FOUND, UNAUTHORIZED, ApiError, bad_request
from bot.sandbox.params import Params, Upload
from bot.sandbox.registry import find
from bot.sandbox.world import World

log = logging.getLogger("bot.sandbox")
TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{1,128}$")
MODULES = (chats, editing, methods, misc, sending)  # importing them registers their methods
_dumps = partial(json.dumps, ensure_ascii=False)


def answer(body: dict[str, Any], status: int = 200) -> web.Response:
    """A JSON answer, non-ASCII text kept readable."""
    return web.json_response(body, status=status, dumps=_dumps)


def error(problem: ApiError) -> web.Response:
    """Telegram's error answer: the HTTP status equals error_code."""
    return answer(problem.body(), status=problem.code)


@web.middleware
async def not_found_as_json(request: web.Request, handler: Any) -> web.StreamResponse:
    """Unknown paths answer as Telegram does: JSON 404, never an HTML page."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return error(NOT_FOUND)


async def read_params(request: web.Request) -> Params:
    """Parameters from the query string plus a JSON, urlencoded or multipart body."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.can_read_body:
        return Params(values)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("JSON object expected")
        values |= body
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.file.read(), value.filename, value.content_type)
            else:
                values[key] = value if isinstance(value, str) else bytes(value).decode()
    return Params(values, uploads)


class BotApi:
    """Routes of the Bot API; every answer is Telegram's JSON envelope."""

    def __init__(self, world: World) -> None:
        self.world = world

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes to add to the sandbox's application."""
        return [
            web.route("*", "/bot{token}/{method}", self.call),
            web.get("/file/bot{token}/{path:.+}", self.file),
        ]

    async def call(self, request: web.Request) -> web.Response:
        """Run one Bot API method."""
        token, name = request.match_info["token"], request.match_info["method"]
        if not TOKEN.match(token):
            return error(UNAUTHORIZED)
        found = find(name)
        if found is None:
            self._count_error(NOT_FOUND.code)
            return error(NOT_FOUND)
        self.world.use_token(token)
        requests = self.world.stats.requests
        requests[found.name] = requests.get(found.name, 0) + 1
        try:
            params = await read_params(request)
            result = found.run(self.world, params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as problem:
            self._count_error(problem.code)
            log.debug("%s -> %s %s", found.name, problem.code, problem.description)
            return error(problem)
        return answer({"ok": True, "result": result})

    async def file(self, request: web.Request) -> web.Response:
        """Serve a file's bytes by the file_path getFile gave."""
        if not TOKEN.match(request.match_info["token"]):
            return error(UNAUTHORIZED)
        stored = self.world.files.by_path(request.match_info["path"])
        if stored is None:
            return error(NOT_FOUND)
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)

    async def run_reply(self, values: dict[str, Any], uploads: dict[str, Upload]) -> None:
        """Run a call a webhook answered with; like Telegram, its result goes nowhere."""
        found = find(str(values.get("method", "")))
        if found is None:
            return
        requests = self.world.stats.requests
        requests[found.name] = requests.get(found.name, 0) + 1
        try:
            result = found.run(self.world, Params(values, uploads))
            if inspect.isawaitable(result):
                await result
        except ApiError as problem:
            self._count_error(problem.code)
            log.info("webhook reply %s failed: %s", found.name, problem.description)

    def _count_error(self, code: int) -> None:
        self.world.stats.errors[code] = self.world.stats.errors.get(code, 0) + 1
