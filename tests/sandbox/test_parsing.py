"""Every kind of answer the sandbox gives, parsed by both frameworks' own types.

Each answer must validate, and carry no field the framework does not know (a misspelt or
invented field lands in aiogram's model_extra and PTB's api_kwargs).
"""

from typing import Any

import aiogram.methods as am
import pytest
import telegram as tg
from aiogram import Bot as AiogramBot
from aiogram.methods.base import Response
from pydantic import BaseModel

from bot.sandbox.files import make_png
from tests.sandbox.helpers import TOKEN

PTB_BOT = tg.Bot(TOKEN)
# Fields of Bot API versions newer than python-telegram-bot 22.8; aiogram 3.31 requires them.
NEWER_THAN_PTB = {"can_send_welcome_messages"}
AIOGRAM_BOT = AiogramBot(TOKEN)

# method -> (aiogram method whose __returning__ parses it, PTB's parser)
PARSERS: dict[str, tuple[Any, Any]] = {
    "getMe": (am.GetMe, tg.User.de_json),
    "sendMessage": (am.SendMessage, tg.Message.de_json),
    "sendPhoto": (am.SendPhoto, tg.Message.de_json),
    "sendDocument": (am.SendDocument, tg.Message.de_json),
    "sendVideo": (am.SendVideo, tg.Message.de_json),
    "sendVoice": (am.SendVoice, tg.Message.de_json),
    "sendLocation": (am.SendLocation, tg.Message.de_json),
    "sendContact": (am.SendContact, tg.Message.de_json),
    "sendMediaGroup": (am.SendMediaGroup, tg.Message.de_list),
    "copyMessage": (am.CopyMessage, tg.MessageId.de_json),
    "editMessageText": (am.EditMessageText, tg.Message.de_json),
    "editMessageCaption": (am.EditMessageCaption, tg.Message.de_json),
    "getFile": (am.GetFile, tg.File.de_json),
    "getChat": (am.GetChat, tg.ChatFullInfo.de_json),
    "getChatMember": (am.GetChatMember, tg.ChatMember.de_json),
    "getChatAdministrators": (am.GetChatAdministrators, tg.ChatMember.de_list),
    "getWebhookInfo": (am.GetWebhookInfo, tg.WebhookInfo.de_json),
    "getMyCommands": (am.GetMyCommands, tg.BotCommand.de_list),
    "createForumTopic": (am.CreateForumTopic, tg.ForumTopic.de_json),
    "getChatMenuButton": (am.GetChatMenuButton, tg.MenuButton.de_json),
    "getUpdates": (am.GetUpdates, tg.Update.de_list),
    "forwardMessage": (am.ForwardMessage, tg.Message.de_json),
    "getMyName": (am.GetMyName, tg.BotName.de_json),
    "getMyDescription": (am.GetMyDescription, tg.BotDescription.de_json),
    "getMyShortDescription": (am.GetMyShortDescription, tg.BotShortDescription.de_json),
}


def aiogram_unknown(value: Any, path: str = "") -> list[str]:
    """Fields of parsed aiogram objects that aiogram does not know."""
    if isinstance(value, BaseModel):
        found = [f"{path}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += aiogram_unknown(getattr(value, name), f"{path}.{name}")
        return found
    if isinstance(value, list | tuple):
        return [item for i, v in enumerate(value) for item in aiogram_unknown(v, f"{path}[{i}]")]
    return []


def ptb_unknown(value: Any, path: str = "") -> list[str]:
    """Fields of parsed PTB objects that PTB does not know."""
    if isinstance(value, tg.TelegramObject):
        state = value.__getstate__()
        found = [f"{path}.{key}" for key in state.pop("api_kwargs")]
        for name, attribute in state.items():
            found += ptb_unknown(attribute, f"{path}.{name}")
        return found
    if isinstance(value, list | tuple):
        return [item for i, v in enumerate(value) for item in ptb_unknown(v, f"{path}[{i}]")]
    return []


def check(method: str, result: Any) -> None:
    """Both frameworks parse the result, and know every field in it."""
    aiogram_method, ptb_parser = PARSERS[method]
    envelope = {"ok": True, "result": result}
    parsed = Response[aiogram_method.__returning__].model_validate(
        envelope, context={"bot": AIOGRAM_BOT}
    )
    assert aiogram_unknown(parsed.result) == [], method
    unknown = {path.rsplit(".", 1)[-1] for path in ptb_unknown(ptb_parser(result, PTB_BOT))}
    assert unknown <= NEWER_THAN_PTB, method


@pytest.fixture
async def answers(sandbox, api, resident) -> list[tuple[str, Any]]:
    """One of every answer kind, collected over real HTTP."""
    owner = sandbox.user(1002, "李主任", username="li_zhuren", language_code="zh-hans")
    group = sandbox.group(-1001234, "锦华苑业主群", members=[resident])
    forum = sandbox.group(
        -1009876543210, "论坛", members=[resident], forum=True, admins=[owner], bot_admin=True
    )
    keyboard = {
        "inline_keyboard": [
            [{"text": "好", "callback_data": "ok"}, {"text": "站", "url": "https://a.cn"}]
        ]
    }
    await resident.send("/start")
    collected: list[tuple[str, Any]] = []

    async def call(method: str, files: dict[str, Any] | None = None, **params: Any) -> Any:
        result = (await api(method, files=files, **params)).result
        collected.append((method, result))
        return result

    await call("getMe")
    text = await call(
        "sendMessage",
        chat_id=resident.id,
        text="<b>hi</b> @x #y",
        parse_mode="HTML",
        reply_markup=keyboard,
    )
    await call(
        "sendMessage",
        chat_id=resident.id,
        text="re",
        reply_parameters={"message_id": text["message_id"]},
    )
    photo = await call(
        "sendPhoto", {"photo": ("a.png", make_png(1))}, chat_id=resident.id, caption="c"
    )
    await call("sendDocument", {"document": ("a.pdf", b"%PDF")}, chat_id=resident.id)
    await call(
        "sendVideo", {"video": ("v.mp4", b"\0\0\0\x18ftyp")}, chat_id=resident.id, duration=4
    )
    await call("sendVoice", {"voice": ("v.ogg", b"OggS")}, chat_id=resident.id)
    await call("sendLocation", chat_id=resident.id, latitude=30.5, longitude=104.1)
    await call("sendContact", chat_id=resident.id, phone_number="110", first_name="Police")
    media = [
        {"type": "photo", "media": "attach://p0", "caption": "x"},
        {"type": "photo", "media": "attach://p1"},
    ]
    await call(
        "sendMediaGroup",
        {"p0": ("0.png", make_png(2)), "p1": ("1.png", make_png(3))},
        chat_id=resident.id,
        media=media,
    )
    await call(
        "copyMessage", chat_id=resident.id, from_chat_id=resident.id, message_id=text["message_id"]
    )
    await call("editMessageText", chat_id=resident.id, message_id=text["message_id"], text="edited")
    await call(
        "editMessageCaption", chat_id=resident.id, message_id=photo["message_id"], caption="new"
    )
    await call("getFile", file_id=photo["photo"][-1]["file_id"])
    for chat in (resident.id, group.id, forum.id):
        await call("getChat", chat_id=chat)
    for person in (resident.id, owner.id, 1001 + 1000):
        sandbox.user(person, "someone")
        await call("getChatMember", chat_id=forum.id, user_id=person)
    await call("getChatMember", chat_id=forum.id, user_id=sandbox.world.bot.id)
    await call("getChatAdministrators", chat_id=forum.id)
    await call("setMyCommands", commands=[{"command": "start", "description": "开始"}])
    await call("getMyCommands")
    topic = await call("createForumTopic", chat_id=forum.id, name="报修")
    await call(
        "sendMessage", chat_id=forum.id, text="t", message_thread_id=topic["message_thread_id"]
    )
    await call(
        "forwardMessage", chat_id=forum.id, from_chat_id=resident.id, message_id=photo["message_id"]
    )
    await call("getMyName")
    await call("setMyDescription", description="报修机器人")
    await call("getMyDescription", language_code="zh")
    await call("getMyShortDescription")
    await call("getChatMenuButton")
    await call("setChatMenuButton", menu_button={"type": "commands"})
    await call("getChatMenuButton")

    await resident.send("@courtyard_sandbox_bot 你好", chat=group)
    await resident.send("话题", chat=forum, thread_id=topic["message_thread_id"])
    await resident.send_album(2, caption="两张")
    await resident.send_location(1.5, 2.5)
    await resident.send_contact("13800000000")
    await resident.send_document(b"x", "a.txt", caption="#报修")
    await resident.send_voice()
    await resident.send_video(caption="v")
    await resident.send_sticker()
    await resident.send("回复", reply_to=text["message_id"])
    await resident.edit((await resident.send("x"))["message_id"], "y")
    # editMessageText above dropped the first keyboard: it was given no reply_markup
    pick = (await api("sendMessage", chat_id=resident.id, text="k", reply_markup=keyboard)).result
    await resident.press(pick["message_id"], data="ok")
    resident.block()
    resident.unblock()
    joined = sandbox.group(-1005, "新群", members=[owner], add_bot=False)
    joined.add_bot(by=owner)
    joined.remove_bot(by=owner)
    await call("getUpdates")
    await call("setWebhook", url="http://127.0.0.1:9/hook", secret_token="s")
    await sandbox.wait_until(lambda: sandbox.world.updates.webhook.last_error_date, 5)
    await call("getWebhookInfo")
    return collected


async def test_every_answer_parses_in_both_frameworks(answers):
    methods = {method for method, _ in answers}
    setters = {"setMyCommands", "setChatMenuButton", "setWebhook", "setMyDescription"}
    assert methods == set(PARSERS) | setters
    for method, result in answers:
        if method in PARSERS:
            check(method, result)


async def test_updates_cover_every_kind(answers):
    [updates] = [result for method, result in answers if method == "getUpdates"]
    kinds = {next(key for key in update if key != "update_id") for update in updates}
    assert kinds == {"message", "edited_message", "callback_query", "my_chat_member"}
    ids = [update["update_id"] for update in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    [info] = [result for method, result in answers if method == "getWebhookInfo"]
    assert info["last_error_message"]
