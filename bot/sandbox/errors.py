"""Errors the sandbox answers with: Telegram's own codes and descriptions, and test misuse."""

from typing import Any


class ApiError(Exception):
    """A Bot API error, answered as {"ok": false, "error_code", "description", "parameters"}."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The JSON Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class SandboxError(Exception):
    """A test asked the sandbox for something impossible (no such button, user blocked...)."""


def bad_request(what: str) -> ApiError:
    """400 Bad Request: what."""
    return ApiError(400, f"Bad Request: {what}")


def forbidden(what: str) -> ApiError:
    """403 Forbidden: what."""
    return ApiError(403, f"Forbidden: {what}")


def conflict(what: str) -> ApiError:
    """409 Conflict: what."""
    return ApiError(409, f"Conflict: {what}")


def too_many_requests(seconds: int) -> ApiError:
    """429 with retry_after, as Telegram's flood control answers."""
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


NOT_FOUND = ApiError(404, "Not Found")
UNAUTHORIZED = ApiError(401, "Unauthorized")
CHAT_NOT_FOUND = "chat not found"
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)
TERMINATED = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
WRONG_FILE = "wrong file identifier/HTTP URL specified"
