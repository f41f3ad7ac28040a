"""JSON of Telegram objects, with every field aiogram and python-telegram-bot require."""

import hashlib
from typing import Any

from bot.sandbox.state import Chat, Person

JSON = dict[str, Any]

_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
    "can_pin_messages",
    "can_manage_topics",
)
_PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_invite_users",
)


def user_json(person: Person) -> JSON:
    """A User as it appears in `from`, ChatMember and the like."""
    found: JSON = {"id": person.id, "is_bot": person.is_bot, "first_name": person.first_name}
    for key in ("last_name", "username", "language_code"):
        if getattr(person, key):
            found[key] = getattr(person, key)
    return found


def me_json(bot: Person, privacy: bool) -> JSON:
    """getMe: the bot's User with the fields only getMe carries."""
    return user_json(bot) | {
        "can_join_groups": True,
        "can_read_all_group_messages": not privacy,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
        "has_topics_enabled": False,
        "allows_users_to_create_topics": False,
    }


def chat_json(chat: Chat) -> JSON:
    """A Chat as it appears in a Message."""
    if chat.person is not None:
        found = {"id": chat.id, "first_name": chat.person.first_name}
        for key in ("last_name", "username"):
            if getattr(chat.person, key):
                found[key] = getattr(chat.person, key)
        return found | {"type": "private"}
    found = {"id": chat.id, "title": chat.title}
    if chat.username:
        found["username"] = chat.username
    found["type"] = chat.type
    if chat.is_forum:
        found["is_forum"] = True
    return found


def chat_full_json(chat: Chat) -> JSON:
    """getChat's ChatFullInfo, including accent_color_id, max_reaction_count and gift types."""
    full = chat_json(chat) | {
        "accent_color_id": abs(chat.id) % 7,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": chat.person is not None,
            "limited_gifts": chat.person is not None,
            "unique_gifts": chat.person is not None,
            "premium_subscription": chat.person is not None,
            "gifts_from_channels": chat.person is not None,
        },
    }
    if chat.is_group:
        full["permissions"] = dict.fromkeys(_PERMISSIONS, True)
        full["has_visible_history"] = True
    return full


def member_json(person: Person, status: str) -> JSON:
    """A ChatMember of any status: creator, administrator, member, left, kicked."""
    found: JSON = {"status": status, "user": user_json(person)}
    if status == "creator":
        found["is_anonymous"] = False
    elif status == "administrator":
        found |= {"can_be_edited": False, "is_anonymous": False, "can_promote_members": False}
        found |= dict.fromkeys(_ADMIN_RIGHTS, True)
    elif status == "kicked":
        found["until_date"] = 0
    return found


def chat_instance(chat_id: int, bot_id: int) -> str:
    """CallbackQuery.chat_instance: an opaque number, the same for every press in one chat."""
    digest = hashlib.sha256(f"{bot_id}:{chat_id}".encode()).digest()
    return str(int.from_bytes(digest[:8], "big", signed=True))


def strip_nested_reply(message: JSON) -> JSON:
    """A message as `reply_to_message`: Telegram does not nest a second reply inside."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}
