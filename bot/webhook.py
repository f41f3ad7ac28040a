"""Webhook mode: aiohttp takes Telegram's posts (secret checked) and answers a health check."""

import hmac
import logging
from typing import Any

from aiohttp import web

from bot.telegram.transport import Transport

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"


def webhook_app(transport: Transport, path: str, secret: str) -> web.Application:
    """POST `path`: one update, handled before answering; GET /healthz: liveness."""

    async def take(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            log.warning("webhook post from %s without the right secret", request.remote)
            return web.json_response({"ok": False, "error": "wrong secret token"}, status=401)
        try:
            update: dict[str, Any] = await request.json()
        except ValueError:
            return web.json_response({"ok": False, "error": "body is not JSON"}, status=400)
        await transport.feed(update)
        return web.json_response({"ok": True})

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "bot": transport.username})

    app = web.Application()
    app.router.add_post(path, take)
    app.router.add_get(HEALTH_PATH, health)
    return app


async def serve_webhook(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start listening; the caller cleans the returned runner up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("webhook server listening on %s:%s", host, port)
    return runner
