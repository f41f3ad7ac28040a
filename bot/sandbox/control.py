"""The HTTP control API under /_sandbox/: the Python API for curl and other languages, as JSON."""

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.errors import SandboxError
from bot.sandbox.limits import Limits
from bot.sandbox.objects import me_json, user_json

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox
    from bot.sandbox.users import SandboxUser

Body = dict[str, Any]
Handler = Callable[[web.Request, Body], Awaitable[Any]]
_dumps = partial(json.dumps, ensure_ascii=False)


def _json(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Read a JSON body, answer {"ok": true, "result"} or {"ok": false, "error"}."""

    async def wrapped(request: web.Request) -> web.Response:
        try:
            body = await request.json() if request.can_read_body else {}
            if not isinstance(body, dict):
                raise SandboxError("the body must be a JSON object")
            result = await handler(request, body)
        except json.JSONDecodeError:
            return _error(400, "the body is not valid JSON")
        except KeyError as missing:
            return _error(400, f"missing field {missing}")
        except (SandboxError, ValueError, TypeError) as problem:
            return _error(400, str(problem))
        except LookupError as problem:
            return _error(404, str(problem))
        except TimeoutError as problem:
            return _error(408, str(problem))
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    return wrapped


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status, dumps=_dumps)


class ControlApi:
    """Routes that act as people and read back what the bot did."""

    def __init__(self, sandbox: "Sandbox") -> None:
        self.sandbox = sandbox

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes under /_sandbox/."""
        user = "/_sandbox/users/{user_id}"
        return [
            web.get("/_sandbox", _json(self.about)),
            web.get("/_sandbox/", _json(self.about)),
            web.post("/_sandbox/users", _json(self.create_user)),
            web.post(f"{user}/messages", _json(self.message)),
            web.post(f"{user}/photos", _json(self.photos)),
            web.post(f"{user}/documents", _json(self.document)),
            web.post(f"{user}/locations", _json(self.location)),
            web.post(f"{user}/contacts", _json(self.contact)),
            web.post(f"{user}/edits", _json(self.edit)),
            web.post(f"{user}/press", _json(self.press)),
            web.post(f"{user}/block", _json(self.block)),
            web.post(f"{user}/unblock", _json(self.unblock)),
            web.post("/_sandbox/groups", _json(self.create_group)),
            web.get("/_sandbox/chats/{chat_id}/messages", _json(self.chat_messages)),
            web.get("/_sandbox/callback_answers", _json(self.answers)),
            web.get("/_sandbox/stats", _json(self.stats)),
            web.get("/_sandbox/limits", _json(self.limits)),
            web.put("/_sandbox/limits", _json(self.set_limits)),
            web.get("/_sandbox/updates", _json(self.updates)),
            web.get("/_sandbox/files/{file_id}", self.file),
        ]

    def _user(self, request: web.Request) -> "SandboxUser":
        user_id = int(request.match_info["user_id"])
        if user_id not in self.sandbox.world.people:
            raise LookupError(f"no user {user_id}: POST /_sandbox/users first")
        return self.sandbox.user(user_id)

    async def about(self, request: web.Request, body: Body) -> Any:
        world = self.sandbox.world
        return {"bot": me_json(world.bot, world.privacy), "limits": asdict(self.sandbox.limits)}

    async def create_user(self, request: web.Request, body: Body) -> Any:
        user = self.sandbox.user(
            int(body["id"]),
            body.get("first_name", "Test"),
            body.get("language_code"),
            body.get("username"),
            body.get("last_name"),
        )
        return user_json(user.person)

    async def message(self, request: web.Request, body: Body) -> Any:
        user = self._user(request)
        return await user.send(
            body["text"], body.get("chat_id"), body.get("reply_to"), body.get("thread_id")
        )

    async def photos(self, request: web.Request, body: Body) -> Any:
        user, count = self._user(request), int(body.get("count", 1))
        if count > 1:
            return await user.send_album(count, body.get("caption"), body.get("chat_id"))
        return await user.send_photo(body.get("caption"), body.get("chat_id"))

    async def document(self, request: web.Request, body: Body) -> Any:
        data = base64.b64decode(body["content_base64"]) if "content_base64" in body else b""
        data = data or str(body.get("content", "sandbox document")).encode()
        return await self._user(request).send_document(
            data, body.get("file_name", "file.pdf"), body.get("caption"), body.get("chat_id")
        )

    async def location(self, request: web.Request, body: Body) -> Any:
        return await self._user(request).send_location(
            float(body["latitude"]), float(body["longitude"]), body.get("chat_id")
        )

    async def contact(self, request: web.Request, body: Body) -> Any:
        return await self._user(request).send_contact(
            str(body["phone_number"]), body.get("first_name"), body.get("chat_id")
        )

    async def edit(self, request: web.Request, body: Body) -> Any:
        return await self._user(request).edit(
            int(body["message_id"]), body["text"], body.get("chat_id")
        )

    async def press(self, request: web.Request, body: Body) -> Any:
        query_id = await self._user(request).press(
            int(body["message_id"]), body.get("data"), body.get("text"), body.get("chat_id")
        )
        return {"callback_query_id": query_id}

    async def block(self, request: web.Request, body: Body) -> Any:
        self._user(request).block()
        return True

    async def unblock(self, request: web.Request, body: Body) -> Any:
        self._user(request).unblock()
        return True

    async def create_group(self, request: web.Request, body: Body) -> Any:
        people = self.sandbox.world.people
        members = [self.sandbox.user(int(i)) for i in body.get("members", []) if int(i) in people]
        admins = [self.sandbox.user(int(i)) for i in body.get("admins", []) if int(i) in people]
        group = self.sandbox.group(
            int(body["id"]),
            body["title"],
            members,
            bool(body.get("forum", False)),
            bool(body.get("add_bot", True)),
            admins=admins,
        )
        return {"id": group.id, "title": group.title, "type": group.chat.type}

    async def chat_messages(self, request: web.Request, body: Body) -> Any:
        chat_id = int(request.match_info["chat_id"])
        if "count" in request.query:
            count = int(request.query["count"])
            timeout = float(request.query.get("timeout", 5))
            found = await self.sandbox.wait_for(chat_id, count, timeout)
        else:
            found = self.sandbox.messages(chat_id)
        return [message.to_json() for message in found]

    async def answers(self, request: web.Request, body: Body) -> Any:
        return self.sandbox.callback_answers

    async def stats(self, request: web.Request, body: Body) -> Any:
        return self.sandbox.stats.to_json()

    async def limits(self, request: web.Request, body: Body) -> Any:
        return asdict(self.sandbox.limits)

    async def set_limits(self, request: web.Request, body: Body) -> Any:
        if body.get("off"):
            limits = Limits.off()
        else:
            known = set(asdict(Limits()))
            unknown = set(body) - known
            if unknown:
                raise SandboxError(f"unknown limits {sorted(unknown)}; known: {sorted(known)}")
            if any(value is not None and type(value) is not int for value in body.values()):
                raise SandboxError("a limit is a whole number, or null for no limit")
            limits = Limits(**{**asdict(self.sandbox.limits), **body})
        self.sandbox.set_limits(limits)
        return asdict(limits)

    async def updates(self, request: web.Request, body: Body) -> Any:
        return list(self.sandbox.updates_pending())

    async def file(self, request: web.Request) -> web.Response:
        """A file's bytes by file id."""
        try:
            data = self.sandbox.file_bytes(request.match_info["file_id"])
        except SandboxError as problem:
            return _error(404, str(problem))
        return web.Response(body=data, content_type="application/octet-stream")
