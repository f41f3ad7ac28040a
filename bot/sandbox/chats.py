"""Bot API methods about chats: ChatFullInfo, members, chat actions, menu buttons, topics."""

from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.objects import chat_full_json, member_json
from bot.sandbox.params import Params
from bot.sandbox.registry import method
from bot.sandbox.world import World

CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}


@method("getChat")
def get_chat(world: World, params: Params) -> dict[str, Any]:
    """ChatFullInfo of a chat the bot can see."""
    return chat_full_json(world.chat_for_bot(params.chat_id(), reading=True))


@method("getChatMember")
def get_chat_member(world: World, params: Params) -> dict[str, Any]:
    """A person's (or the bot's) status in a chat."""
    chat = world.chat_for_bot(params.chat_id(), reading=True)
    user_id = params.integer("user_id")
    if user_id is None:
        raise bad_request("invalid user_id specified")
    if user_id == world.bot.id:
        status = "administrator" if chat.bot_admin and chat.is_group else "member"
        return member_json(world.bot, status)
    person = world.people.get(user_id)
    if person is None or (chat.person is not None and chat.person is not person):
        raise bad_request("user not found")
    if chat.person is not None:
        return member_json(person, "member")
    if chat.admins and chat.admins[0] == user_id:
        return member_json(person, "creator")
    if user_id in chat.admins:
        return member_json(person, "administrator")
    return member_json(person, "member" if user_id in chat.members else "left")


@method("getChatAdministrators")
def get_chat_administrators(world: World, params: Params) -> list[dict[str, Any]]:
    """The creator, the administrators and the bot if it is one."""
    chat = world.chat_for_bot(params.chat_id(), reading=True)
    if not chat.is_group:
        raise bad_request("there are no administrators in the private chat")
    found = [
        member_json(world.people[user_id], "creator" if index == 0 else "administrator")
        for index, user_id in enumerate(chat.admins)
    ]
    return found + ([member_json(world.bot, "administrator")] if chat.bot_admin else [])


@method("getChatMemberCount")
def get_chat_member_count(world: World, params: Params) -> int:
    """Members, the bot included."""
    chat = world.chat_for_bot(params.chat_id(), reading=True)
    return 2 if chat.person is not None else len(chat.members) + int(chat.bot_member)


@method("setChatMenuButton")
def set_chat_menu_button(world: World, params: Params) -> bool:
    """Store the menu button of a chat or the default one."""
    button = params.json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad_request("can't parse menu button JSON object")
    world.menu_buttons[params.integer("chat_id")] = button
    return True


@method("getChatMenuButton")
def get_chat_menu_button(world: World, params: Params) -> dict[str, Any]:
    """The menu button last set for a chat, else the default one."""
    chat_id = params.integer("chat_id")
    return world.menu_buttons.get(chat_id, world.menu_buttons.get(None, {"type": "default"}))


@method("sendChatAction")
def send_chat_action(world: World, params: Params) -> bool:
    """Show "typing…" and the like; not a message, so not counted."""
    chat = world.chat_for_bot(params.chat_id())
    action = params.text("action", required=True)
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    world.chat_actions.setdefault(chat.id, []).append(action)
    return True


@method("createForumTopic")
def create_forum_topic(world: World, params: Params) -> dict[str, Any]:
    """Open a topic in a forum supergroup; its thread id is the id of its service message."""
    chat = world.chat_for_bot(params.chat_id())
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    name = params.text("name", required=True) or ""
    if not 1 <= len(name) <= 128:
        raise bad_request("invalid forum topic name specified")
    topic = {"name": name, "icon_color": params.integer("icon_color", default=7322096)}
    stored = world.store(chat, world.bot, {"forum_topic_created": dict(topic)}, service=True)
    topic = {"message_thread_id": stored.data["message_id"]} | topic
    stored.data |= {"message_thread_id": topic["message_thread_id"], "is_topic_message": True}
    chat.topics[topic["message_thread_id"]] = topic
    return topic
