"""What every handler is given: the chat to answer in, the database, the clock, the community."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from handlers.chat import Chat
from storage.uow import UnitOfWork
from tickets.community import CommunityConfig


@dataclass(frozen=True)
class Context:
    """The collaborators of a use case, wired once by the composition root."""

    chat: Chat
    uow: Callable[[], UnitOfWork]
    now: Callable[[], datetime]
    community: CommunityConfig
    tz: tzinfo  # the community's local time, for deadlines people read
    admins: frozenset[int] = frozenset()  # Telegram ids of BOT_ADMINS: they set teams up
