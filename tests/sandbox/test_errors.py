"""Telegram's 400 and 403 answers, with its exact descriptions and HTTP status = error_code."""

import pytest

from bot.sandbox.errors import NOT_MODIFIED, QUERY_TOO_OLD


async def refused(api, method: str, code: int, description: str, **params) -> None:
    answer = await api(method, **params)
    assert answer.status == code
    assert answer.body == {"ok": False, "error_code": code, "description": description}


@pytest.fixture
async def started(resident):
    await resident.send("/start")
    return resident


async def test_text_rules(api, started):
    chat = started.id
    await refused(
        api, "sendMessage", 400, "Bad Request: message is too long", chat_id=chat, text="x" * 4097
    )
    assert (await api("sendMessage", chat_id=chat, text="x" * 4096)).status == 200
    emoji = "😀" * 2049  # 4098 UTF-16 units: Telegram counts those
    await refused(
        api, "sendMessage", 400, "Bad Request: message is too long", chat_id=chat, text=emoji
    )
    for empty in ("", "  \n ", "<b></b>"):
        await refused(
            api,
            "sendMessage",
            400,
            "Bad Request: message text is empty",
            chat_id=chat,
            text=empty,
            parse_mode="HTML",
        )
    await refused(api, "sendMessage", 400, "Bad Request: message text is empty", chat_id=chat)
    await refused(api, "sendMessage", 400, "Bad Request: chat_id is empty", text="x")


async def test_caption_and_button_rules(api, resident, started):
    chat = started.id
    await refused(
        api,
        "sendLocation",
        400,
        "Bad Request: invalid location specified",
        chat_id=chat,
        latitude=91,
        longitude=0,
    )
    photo = (await resident.send_photo())["photo"][-1]["file_id"]
    await refused(
        api,
        "sendPhoto",
        400,
        "Bad Request: message caption is too long",
        chat_id=chat,
        photo=photo,
        caption="c" * 1025,
    )
    assert (await api("sendPhoto", chat_id=chat, photo=photo, caption="c" * 1024)).status == 200
    long_data = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]}  # 66 bytes
    await refused(
        api,
        "sendMessage",
        400,
        "Bad Request: BUTTON_DATA_INVALID",
        chat_id=chat,
        text="x",
        reply_markup=long_data,
    )
    fits = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 32}]]}  # 64 bytes
    assert (await api("sendMessage", chat_id=chat, text="x", reply_markup=fits)).status == 200
    text_only = {"inline_keyboard": [[{"text": "x"}]]}
    await refused(
        api,
        "sendMessage",
        400,
        "Bad Request: can't parse InlineKeyboardButton: "
        "Text buttons are not allowed in the inline keyboard",
        chat_id=chat,
        text="x",
        reply_markup=text_only,
    )


async def test_files_that_do_not_exist(api, started):
    for photo in ("https://example.org/a.jpg", "AgACAgIAAxkBAAInope"):
        await refused(
            api,
            "sendPhoto",
            400,
            "Bad Request: wrong file identifier/HTTP URL specified",
            chat_id=started.id,
            photo=photo,
        )
    bad_image = await api("sendPhoto", {"photo": ("x.jpg", b"not an image")}, chat_id=started.id)
    assert bad_image.description == "Bad Request: IMAGE_PROCESS_FAILED"


async def test_album_rules(api, resident, started):
    photo = (await resident.send_photo())["photo"][-1]["file_id"]
    media = [{"type": "photo", "media": photo}] * 11
    await refused(
        api,
        "sendMediaGroup",
        400,
        "Bad Request: too many messages to send as an album",
        chat_id=started.id,
        media=media,
    )
    one = await api("sendMediaGroup", chat_id=started.id, media=media[:1])
    assert len(one.result) == 1 and "media_group_id" not in one.result[0]


async def test_chats_the_bot_cannot_reach(sandbox, api, resident):
    await refused(api, "sendMessage", 400, "Bad Request: chat not found", chat_id=555, text="x")
    await refused(
        api,
        "sendMessage",
        403,
        "Forbidden: bot can't initiate conversation with a user",
        chat_id=resident.id,
        text="x",
    )
    await refused(api, "getChat", 400, "Bad Request: chat not found", chat_id=resident.id)
    await resident.send("hi")
    resident.block()
    await refused(
        api,
        "sendMessage",
        403,
        "Forbidden: bot was blocked by the user",
        chat_id=resident.id,
        text="x",
    )
    await refused(
        api,
        "sendChatAction",
        403,
        "Forbidden: bot was blocked by the user",
        chat_id=resident.id,
        action="typing",
    )
    resident.unblock()
    assert (await api("sendMessage", chat_id=resident.id, text="x")).status == 200
    outside = sandbox.group(-4001, "无机器人群", members=[resident], add_bot=False)
    await refused(
        api,
        "sendMessage",
        403,
        "Forbidden: bot is not a member of the group chat",
        chat_id=outside.id,
        text="x",
    )
    bigger = sandbox.group(-1002000000000, "大群", add_bot=False)
    await refused(
        api,
        "sendMessage",
        403,
        "Forbidden: bot is not a member of the supergroup chat",
        chat_id=bigger.id,
        text="x",
    )


async def test_edits_and_deletes(api, resident, started):
    chat = started.id
    sent = (await api("sendMessage", chat_id=chat, text="原文")).result["message_id"]
    await refused(
        api,
        "editMessageText",
        400,
        "Bad Request: message to edit not found",
        chat_id=chat,
        message_id=999,
        text="x",
    )
    await refused(
        api,
        "editMessageText",
        400,
        f"Bad Request: {NOT_MODIFIED}",
        chat_id=chat,
        message_id=sent,
        text="原文",
    )
    theirs = (await resident.send("mine"))["message_id"]
    await refused(
        api,
        "editMessageText",
        400,
        "Bad Request: message can't be edited",
        chat_id=chat,
        message_id=theirs,
        text="x",
    )
    await refused(
        api,
        "editMessageCaption",
        400,
        "Bad Request: there is no caption in the message to edit",
        chat_id=chat,
        message_id=sent,
        caption="x",
    )
    keyboard = {"keyboard": [["报修", "查询"]], "resize_keyboard": True}
    with_keyboard = (
        await api("sendMessage", chat_id=chat, text="菜单", reply_markup=keyboard)
    ).result
    assert "reply_markup" not in with_keyboard  # only inline keyboards appear in a Message
    await refused(
        api,
        "editMessageText",
        400,
        "Bad Request: message can't be edited",
        chat_id=chat,
        message_id=with_keyboard["message_id"],
        text="x",
    )
    assert (await api("deleteMessage", chat_id=chat, message_id=sent)).result is True
    await refused(
        api,
        "deleteMessage",
        400,
        "Bad Request: message to delete not found",
        chat_id=chat,
        message_id=sent,
    )
    await refused(
        api,
        "editMessageText",
        400,
        "Bad Request: message to edit not found",
        chat_id=chat,
        message_id=sent,
        text="x",
    )
    await refused(
        api,
        "sendMessage",
        400,
        "Bad Request: message to be replied not found",
        chat_id=chat,
        text="x",
        reply_parameters={"message_id": sent},
    )
    lenient = {"message_id": sent, "allow_sending_without_reply": True}
    assert (
        await api("sendMessage", chat_id=chat, text="x", reply_parameters=lenient)
    ).status == 200


async def test_callback_queries_are_answered_once(sandbox, api, resident, started):
    await refused(
        api,
        "answerCallbackQuery",
        400,
        f"Bad Request: {QUERY_TOO_OLD}",
        callback_query_id="12345",
    )
    keyboard = {"inline_keyboard": [[{"text": "好", "callback_data": "ok"}]]}
    sent = await api("sendMessage", chat_id=started.id, text="?", reply_markup=keyboard)
    query = await resident.press(sent.result["message_id"], data="ok")
    assert (await api("answerCallbackQuery", callback_query_id=query, text="收到")).result is True
    await refused(
        api,
        "answerCallbackQuery",
        400,
        f"Bad Request: {QUERY_TOO_OLD}",
        callback_query_id=query,
    )


async def test_other_parameter_problems(sandbox, api, started):
    await refused(
        api,
        "sendChatAction",
        400,
        "Bad Request: wrong parameter action in request",
        chat_id=started.id,
        action="dancing",
    )
    await refused(
        api,
        "setMyCommands",
        400,
        "Bad Request: BOT_COMMAND_INVALID",
        commands=[{"command": "Bad Command", "description": "x"}],
    )
    await refused(
        api,
        "createForumTopic",
        400,
        "Bad Request: the chat is not a forum",
        chat_id=sandbox.group(-77, "普通群").id,
        name="x",
    )
    await refused(
        api,
        "sendMessage",
        400,
        "Bad Request: invalid message_thread_id specified",
        chat_id=started.id,
        text="x",
        message_thread_id="abc",
    )
    assert sandbox.stats.errors[400] == 4
