"""The table of Bot API methods: one decorated function per method, looked up case-insensitively."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.params import Params
from bot.sandbox.world import World

Implementation = Callable[[World, Params], Any | Awaitable[Any]]


@dataclass(frozen=True)
class Method:
    """A registered method: its canonical name and its implementation."""

    name: str
    run: Implementation


METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Implementation], Implementation]:
    """Register a function as the Bot API method `name` (e.g. "sendMessage")."""

    def register(function: Implementation) -> Implementation:
        METHODS[name.lower()] = Method(name, function)
        return function

    return register


def find(name: str) -> Method | None:
    """The method called `name`, ignoring case as Telegram does."""
    return METHODS.get(name.lower())
