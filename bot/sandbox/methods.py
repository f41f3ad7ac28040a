"""Bot API methods that read or configure the bot: getMe, updates, webhooks, files, commands."""

import json
import re
from typing import Any

from bot.sandbox.errors import WEBHOOK_ACTIVE, bad_request, conflict
from bot.sandbox.objects import me_json
from bot.sandbox.params import Params
from bot.sandbox.registry import method
from bot.sandbox.updates import Webhook
from bot.sandbox.world import World

MAX_DOWNLOAD = 20 * 1024 * 1024
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@method("getMe")
def get_me(world: World, params: Params) -> dict[str, Any]:
    """The bot's own User, with can_join_groups and friends."""
    return me_json(world.bot, world.privacy)


@method("logOut")
def log_out(world: World, params: Params) -> bool:
    """Accepted and ignored: there is no cloud server to log out of."""
    return True


@method("close")
def close(world: World, params: Params) -> bool:
    """Accepted and ignored."""
    return True


@method("getUpdates")
async def get_updates(world: World, params: Params) -> list[dict[str, Any]]:
    """Long polling: confirm by offset, wait up to timeout seconds for something new."""
    if world.updates.webhook is not None:
        raise conflict(WEBHOOK_ACTIVE)
    offset = params.integer("offset", default=0) or 0
    limit = min(max(params.integer("limit", default=100) or 100, 1), 100)
    timeout = max(params.number("timeout") or 0.0, 0.0)
    world.updates.set_allowed(_allowed(params))
    return [dict(update) for update in await world.updates.poll(offset, limit, timeout)]


def _allowed(params: Params) -> list[str] | None:
    allowed = params.json("allowed_updates")
    if allowed is not None and not (
        isinstance(allowed, list) and all(isinstance(item, str) for item in allowed)
    ):
        raise bad_request("can't parse allowed updates list")
    return allowed


@method("setWebhook")
def set_webhook(world: World, params: Params) -> bool:
    """Push updates to a URL (http is allowed here, Telegram needs https)."""
    url = (params.text("url") or "").strip()
    if not url:
        return delete_webhook(world, params)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    if params.flag("drop_pending_updates"):
        world.updates.pending.clear()
    world.updates.set_allowed(_allowed(params))
    connections = params.integer("max_connections", default=40) or 40
    world.updates.set_webhook(Webhook(url, secret, connections))
    return True


@method("deleteWebhook")
def delete_webhook(world: World, params: Params) -> bool:
    """Stop pushing; getUpdates works again."""
    if params.flag("drop_pending_updates"):
        world.updates.pending.clear()
    world.updates.set_webhook(None)
    return True


@method("getWebhookInfo")
def get_webhook_info(world: World, params: Params) -> dict[str, Any]:
    """The webhook's URL, pending updates and last delivery error."""
    hook = world.updates.webhook
    info: dict[str, Any] = {"url": hook.url if hook else "", "has_custom_certificate": False}
    info["pending_update_count"] = len(world.updates.pending)
    if hook is not None:
        info |= {"ip_address": "127.0.0.1", "max_connections": hook.max_connections}
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    if world.updates.allowed is not None:
        info["allowed_updates"] = list(world.updates.allowed)
    return info


@method("getFile")
def get_file(world: World, params: Params) -> dict[str, Any]:
    """A file's path under /file/bot<token>/ and its size."""
    file_id = params.text("file_id", required=True) or ""
    stored = world.files.get(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {
        "file_id": file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


def commands_key(scope: Any, language_code: str | None) -> str:
    """Commands are kept per scope and language, as Telegram keeps them."""
    return json.dumps([scope or {"type": "default"}, language_code or ""], sort_keys=True)


def _commands_key(params: Params) -> str:
    """The scope and language of a request's commands."""
    return commands_key(params.json("scope"), params.text("language_code"))


@method("setMyCommands")
def set_my_commands(world: World, params: Params) -> bool:
    """Store the command list for a scope and language."""
    commands = params.json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_commands_key(params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


@method("getMyCommands")
def get_my_commands(world: World, params: Params) -> list[dict[str, Any]]:
    """The command list for a scope and language ([] if none)."""
    return world.commands.get(_commands_key(params), [])


@method("deleteMyCommands")
def delete_my_commands(world: World, params: Params) -> bool:
    """Forget the command list for a scope and language."""
    world.commands.pop(_commands_key(params), None)
    return True
