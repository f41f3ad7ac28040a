"""Groups on the people's side, and the bot joining or leaving them."""

import time
from typing import TYPE_CHECKING, Any

from bot.sandbox.objects import chat_json, member_json, user_json
from bot.sandbox.state import Chat, Person
from bot.sandbox.world import World

if TYPE_CHECKING:
    from bot.sandbox.users import SandboxUser

Message = dict[str, Any]


def push_membership(world: World, chat: Chat, by: Person, old: str, new: str) -> None:
    """Queue my_chat_member: the bot's own status in a chat changed."""
    world.updates.push(
        "my_chat_member",
        {
            "chat": chat_json(chat),
            "from": user_json(by),
            "date": int(time.time()),
            "old_chat_member": member_json(world.bot, old),
            "new_chat_member": member_json(world.bot, new),
        },
    )


class SandboxGroup:
    """A group or supergroup (negative id); `chat=group` sends there."""

    def __init__(self, world: World, chat: Chat) -> None:
        self._world = world
        self.chat = chat

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def title(self) -> str | None:
        return self.chat.title

    def add_member(self, user: "SandboxUser") -> None:
        """Make someone a member, quietly (people who post are added anyway)."""
        self.chat.members.add(user.id)

    def add_bot(self, by: "SandboxUser") -> Message:
        """Someone adds the bot: my_chat_member plus a new_chat_members message, as on Telegram."""
        self.chat.bot_member = True
        push_membership(self._world, self.chat, by.person, "left", "member")
        joined = {"new_chat_members": [user_json(self._world.bot)]}
        stored = self._world.store(self.chat, by.person, joined, service=True)
        self._world.updates.push("message", dict(stored.data))
        return dict(stored.data)

    def remove_bot(self, by: "SandboxUser") -> None:
        """Someone removes the bot; from now on the bot gets 403 here."""
        self.chat.bot_member = False
        push_membership(self._world, self.chat, by.person, "member", "left")
