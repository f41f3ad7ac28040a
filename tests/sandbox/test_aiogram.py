"""aiogram 3 against the sandbox: a real Bot and a real Dispatcher, over HTTP."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import Command, CommandStart
from aiogram.methods import SendMessage
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.sandbox import Limits, Sandbox
from bot.sandbox.files import make_png
from bot.telegram.aiogram_transport import KIT
from tests.sandbox.helpers import BOT_ID, TOKEN, check_forum_topics

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [
            InlineKeyboardButton(text="English", callback_data="lang:en"),
            InlineKeyboardButton(text="中文", callback_data="lang:zh"),
        ],
        [InlineKeyboardButton(text="Site", url="https://example.org")],
    ]
)


class LocalSession(AiohttpSession):
    """No TLS to the sandbox, so closing need not wait 250 ms for SSL connections."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    session = LocalSession(api=TelegramAPIServer.from_base(sandbox.url))
    client = Bot(TOKEN, session=session)
    yield client
    await client.session.close()


async def test_get_me(bot):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (BOT_ID, True, "courtyard_sandbox_bot")
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False


async def test_messages_keyboards_edits_and_deletes(bot, sandbox, resident):
    await resident.send("/start")
    sent = await bot.send_message(
        resident.id, "<b>选择语言</b>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert sent.text == "选择语言"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "lang:zh"
    assert sent.from_user.id == BOT_ID
    assert sent.date.year >= 2024  # seconds, not milliseconds

    edited = await bot.edit_message_text(
        "Language: English", chat_id=resident.id, message_id=sent.message_id
    )
    assert edited.text == "Language: English" and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Language: English", chat_id=resident.id, message_id=sent.message_id
        )
    await bot.edit_message_reply_markup(
        chat_id=resident.id, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    record = sandbox.messages(resident)[0]
    assert record.text == "Language: English"
    assert record.edits == ["选择语言"]
    assert record.button_texts() == ["English", "中文", "Site"]

    reply = await bot.send_message(
        resident.id, "reply", reply_parameters=ReplyParameters(message_id=sent.message_id)
    )
    assert reply.reply_to_message.message_id == sent.message_id
    assert await bot.delete_message(resident.id, sent.message_id) is True
    assert sandbox.messages(resident)[0].deleted
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(resident.id, sent.message_id)


async def test_photos_albums_files_and_downloads(bot, sandbox, resident):
    await resident.send("hi")
    image = make_png(1, 800, 600)
    photo = await bot.send_photo(
        resident.id, BufferedInputFile(image, "a.png"), caption="<i>漏水</i>", parse_mode="HTML"
    )
    assert len(photo.photo) >= 2
    assert photo.caption == "漏水" and photo.caption_entities[0].type == "italic"
    largest = photo.photo[-1]
    assert (largest.width, largest.height) == (800, 600)
    file = await bot.get_file(largest.file_id)
    downloaded = await bot.download_file(file.file_path)
    assert downloaded.read() == image
    assert sandbox.file_bytes(largest.file_id) == image

    again = await bot.send_photo(resident.id, largest.file_id)
    assert again.photo[-1].file_unique_id == largest.file_unique_id

    album = await bot.send_media_group(
        resident.id,
        [
            InputMediaPhoto(media=BufferedInputFile(make_png(n), f"{n}.png"), caption="相册")
            if n == 0
            else InputMediaPhoto(media=BufferedInputFile(make_png(n), f"{n}.png"))
            for n in range(3)
        ],
    )
    assert len(album) == 3
    assert len({message.media_group_id for message in album}) == 1
    assert album[0].caption == "相册"

    document = await bot.send_document(resident.id, BufferedInputFile(b"%PDF-1.4", "报告.pdf"))
    assert document.document.file_name == "报告.pdf"
    assert document.document.mime_type == "application/pdf"
    voice = await bot.send_voice(resident.id, BufferedInputFile(b"OggS....", "v.ogg"), duration=3)
    assert voice.voice.duration == 3
    video = await bot.send_video(resident.id, BufferedInputFile(b"\0\0\0\x18ftyp", "v.mp4"))
    assert video.video.width > 0
    location = await bot.send_location(resident.id, 30.65, 104.06)
    assert location.location.latitude == pytest.approx(30.65)
    kinds = [message.kind for message in sandbox.messages(resident)]
    assert kinds == [
        "photo",
        "photo",
        "photo",
        "photo",
        "photo",
        "document",
        "voice",
        "video",
        "location",
    ]


async def test_every_update_kind_parses(bot, sandbox, resident):
    group = sandbox.group(-1001234, "锦华苑业主群", members=[resident], forum=True)
    await resident.send("/start abc")
    await resident.send_photo(caption="看这里")
    await resident.send_album(2, caption="两张")
    await resident.send_location(30.65, 104.06)
    await resident.send_contact("13800000000")
    await resident.send_document(b"%PDF", "a.pdf")
    await resident.send_voice()
    await resident.send_video()
    await resident.send_sticker()
    first = (await resident.send("typo"))["message_id"]
    await resident.edit(first, "fixed")
    await resident.send("hello @courtyard_sandbox_bot", chat=group)
    sent = await bot.send_message(resident.id, "pick", reply_markup=KEYBOARD)
    query = await resident.press(sent.message_id, data="lang:en")
    resident.block()

    updates = await bot.get_updates(timeout=0)
    kinds = [update.event_type for update in updates]
    assert kinds == ["message"] * 11 + [
        "edited_message",
        "message",
        "callback_query",
        "my_chat_member",
    ]
    assert updates[0].message.entities[0].type == "bot_command"
    assert updates[1].message.photo[-1].file_id
    assert updates[2].message.media_group_id == updates[3].message.media_group_id
    assert updates[5].message.contact.user_id == resident.id
    assert updates[9].message.sticker.emoji
    assert updates[12].message.chat.is_forum is True
    callback = updates[13].callback_query
    assert callback.id == query and callback.chat_instance and callback.data == "lang:en"
    assert callback.message.message_id == sent.message_id
    assert updates[14].my_chat_member.new_chat_member.status == "kicked"
    assert await bot.answer_callback_query(query, text="ok") is True
    assert sandbox.callback_answers[query]["text"] == "ok"


async def test_chats_members_commands_topics_and_webhooks(bot, sandbox, resident):
    owner = sandbox.user(1002, "李主任")
    group = sandbox.group(
        -1001000000001, "业主群", members=[resident], forum=True, admins=[owner], bot_admin=True
    )
    await resident.send("/start")
    chat = await bot.get_chat(resident.id)
    assert chat.type == "private" and chat.first_name == "王阿姨"
    full = await bot.get_chat(group.id)
    assert full.type == "supergroup" and full.is_forum
    assert (await bot.get_chat_member(group.id, resident.id)).status == "member"
    assert (await bot.get_chat_member(group.id, BOT_ID)).status == "administrator"
    admins = await bot.get_chat_administrators(group.id)
    assert [admin.status for admin in admins] == ["creator", "administrator"]

    topic = await bot.create_forum_topic(group.id, "报修")
    in_topic = await bot.send_message(group.id, "新工单", message_thread_id=topic.message_thread_id)
    assert in_topic.message_thread_id == topic.message_thread_id and in_topic.is_topic_message

    commands = [
        BotCommand(command="start", description="开始"),
        BotCommand(command="help", description="帮助"),
    ]
    assert await bot.set_my_commands(commands)
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == []
    assert await bot.send_chat_action(resident.id, "typing")
    assert sandbox.chat_actions(resident) == ["typing"]
    copied = await bot.copy_message(resident.id, group.id, in_topic.message_id)
    assert sandbox.messages(resident)[-1].message_id == copied.message_id

    assert await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""


async def test_errors_are_aiograms_exceptions(bot, sandbox, resident):
    stranger = sandbox.user(1003, "陌生人")
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(stranger.id, "hi")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "hi")
    await resident.send("hi")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(resident.id, "长" * 4097)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(resident.id, "a < b", parse_mode="HTML")
    resident.block()
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(resident.id, "hi")
    resident.unblock()
    sandbox.set_limits(Limits(global_per_second=None, chat_per_second=1, group_per_minute=None))
    await bot.send_message(resident.id, "one")
    with pytest.raises(TelegramRetryAfter) as limited:
        await bot.send_message(resident.id, "two")
    assert limited.value.retry_after == 1


async def test_a_dispatcher_runs_a_conversation(bot, sandbox, resident):
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(f"您好 {message.from_user.first_name}", reply_markup=KEYBOARD)

    @dispatcher.message(Command("help"))
    async def help_(message: Message) -> None:
        await message.reply("help")

    @dispatcher.message(F.photo)
    async def photo(message: Message) -> None:
        await message.answer_photo(message.photo[-1].file_id, caption="收到")

    @dispatcher.callback_query(F.data.startswith("lang:"))
    async def language(query: CallbackQuery) -> None:
        await query.answer("好的")
        await query.message.edit_text(f"language {query.data}")

    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        await resident.send("/start")
        [greeting] = await sandbox.wait_for(resident, 1)
        assert greeting.text == "您好 王阿姨"
        query = await resident.press(greeting.message_id, text="English")
        assert (await sandbox.wait_for_answer(query))["text"] == "好的"
        await sandbox.wait_until(lambda: greeting.edits, 5)
        assert greeting.text == "language lang:en"
        await resident.send_photo()
        messages = await sandbox.wait_for(resident, 2)
        assert messages[1].kind == "photo" and messages[1].text == "收到"
        await sandbox.wait_until(lambda: not sandbox.updates_pending(), 5)
        assert sandbox.updates_pending() == 0
    finally:
        await dispatcher.stop_polling()
        await polling


async def test_webhook_mode_with_a_call_in_the_answer(bot, sandbox, resident):
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> SendMessage:
        return message.answer("webhook 您好")  # returned, so aiogram puts it in its answer

    @dispatcher.message(F.text == "call")
    async def call(message: Message) -> None:
        await message.answer("called")

    app = web.Application()
    handler = SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token="s3")
    handler.register(app, path="/hook")
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        assert await bot.set_webhook(
            f"http://127.0.0.1:{runner.addresses[0][1]}/hook", secret_token="s3"
        )
        await resident.send("/start")
        [answer] = await sandbox.wait_for(resident, 1)
        assert answer.text == "webhook 您好"
        await resident.send("call")
        assert (await sandbox.wait_for(resident, 2))[1].text == "called"
        await sandbox.wait_until(lambda: sandbox.webhooks.delivered == 2, 5)
        assert sandbox.updates_pending() == 0
    finally:
        await runner.cleanup()


async def test_the_chat_port_opens_a_forum_topic_and_sends_into_it(bot, sandbox):
    await check_forum_topics(bot, KIT, sandbox)
