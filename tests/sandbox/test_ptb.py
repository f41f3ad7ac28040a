"""python-telegram-bot 22 against the sandbox: a real Bot and a real Application, over HTTP."""

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import Limits, Sandbox
from bot.sandbox.files import make_png
from bot.telegram.ptb_transport import KIT
from tests.sandbox.helpers import BOT_ID, TOKEN, check_forum_topics

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("English", callback_data="lang:en"),
            InlineKeyboardButton("中文", callback_data="lang:zh"),
        ]
    ]
)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    client = Bot(TOKEN, base_url=f"{sandbox.url}/bot", base_file_url=f"{sandbox.url}/file/bot")
    async with client:
        yield client


async def test_initialize_and_get_me(bot):
    assert bot.id == BOT_ID
    assert bot.username == "courtyard_sandbox_bot"
    me = await bot.get_me()
    assert me.is_bot and me.can_join_groups and me.can_read_all_group_messages is False


async def test_messages_keyboards_edits_and_deletes(bot, sandbox, resident):
    await resident.send("/start")
    sent = await bot.send_message(
        resident.id, "<b>选择语言</b>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert sent.text == "选择语言" and sent.entities[0].type == "bold"
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "lang:en"
    assert sent.date.year >= 2024
    edited = await bot.edit_message_text("English", chat_id=resident.id, message_id=sent.message_id)
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("English", chat_id=resident.id, message_id=sent.message_id)
    await bot.edit_message_reply_markup(resident.id, sent.message_id, reply_markup=KEYBOARD)
    reply = await bot.send_message(
        resident.id, "reply", reply_parameters=ReplyParameters(sent.message_id)
    )
    assert reply.reply_to_message.text == "English"
    assert await bot.delete_message(resident.id, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(resident.id, sent.message_id)
    assert sandbox.messages(resident)[0].edits == ["选择语言"]


async def test_photos_albums_files_and_downloads(bot, sandbox, resident):
    await resident.send("hi")
    image = make_png(7, 320, 200)
    photo = await bot.send_photo(resident.id, image, caption="漏水")
    largest = photo.photo[-1]
    assert (largest.width, largest.height) == (320, 200)
    file = await bot.get_file(largest.file_id)
    assert file.file_size == len(image)
    assert bytes(await file.download_as_bytearray()) == image

    album = await bot.send_media_group(
        resident.id, [InputMediaPhoto(make_png(n)) for n in range(4)], caption="相册"
    )
    assert len(album) == 4 and len({m.media_group_id for m in album}) == 1
    assert album[0].caption == "相册"
    document = await bot.send_document(resident.id, b"%PDF-1.4", filename="报告.pdf")
    assert document.document.file_name == "报告.pdf"
    voice = await bot.send_voice(resident.id, b"OggS....", duration=2)
    assert voice.voice.mime_type == "audio/ogg"
    assert voice.voice.api_kwargs == {}  # every field is one PTB knows
    assert sandbox.messages(resident)[-1].message["voice"]["duration"] == 2
    video = await bot.send_video(resident.id, b"\0\0\0\x18ftypmp42", width=320, height=240)
    assert video.video.width == 320
    location = await bot.send_location(resident.id, 30.65, 104.06)
    assert location.location.longitude == pytest.approx(104.06)
    resent = await bot.send_document(resident.id, document.document.file_id)
    assert resent.document.file_unique_id == document.document.file_unique_id
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_photo(resident.id, "https://example.org/a.jpg")


async def test_every_update_kind_parses(bot, sandbox, resident):
    group = sandbox.group(-1001234, "锦华苑业主群", members=[resident])
    await resident.send("/start abc")
    await resident.send_album(3, caption="三张")
    await resident.send_contact("13800000000")
    await resident.send_voice()
    await resident.send_sticker()
    await resident.send("hi @courtyard_sandbox_bot", chat=group)
    sent = await bot.send_message(group.id, "pick", reply_markup=KEYBOARD)
    await resident.send("回复", chat=group, reply_to=sent.message_id)
    query = await resident.press(sent.message_id, data="lang:zh", chat=group)
    mine = await resident.send("typo")
    await resident.edit(mine["message_id"], "fixed")
    resident.block()

    updates = await bot.get_updates(timeout=dt.timedelta(0))
    assert all(isinstance(update, Update) for update in updates)
    assert (
        updates[0].message.text == "/start abc"
        and updates[0].message.entities[0].type == "bot_command"
    )
    assert updates[1].message.photo and updates[1].message.media_group_id
    assert updates[4].message.contact.phone_number == "13800000000"
    assert updates[6].message.sticker.is_animated is False
    assert updates[7].message.entities[0].type == "mention"
    assert updates[8].message.reply_to_message.from_user.id == BOT_ID
    callback = updates[9].callback_query
    assert callback.id == query and callback.chat_instance and callback.message.chat.id == group.id
    assert updates[11].edited_message.text == "fixed"
    assert updates[12].my_chat_member.new_chat_member.status == "kicked"
    assert len(updates) == 13


async def test_chats_members_commands_topics_and_webhooks(bot, sandbox, resident):
    group = sandbox.group(-1001000000002, "论坛", members=[resident], forum=True, admins=[resident])
    await resident.send("/start")
    chat = await bot.get_chat(resident.id)
    assert chat.first_name == "王阿姨" and chat.accent_color_id is not None
    full = await bot.get_chat(group.id)
    assert full.is_forum and full.max_reaction_count == 11
    assert (await bot.get_chat_member(group.id, resident.id)).status == "creator"
    assert (await bot.get_chat_member(group.id, BOT_ID)).status == "member"
    assert len(await bot.get_chat_administrators(group.id)) == 1
    topic = await bot.create_forum_topic(group.id, "报修")
    message = await bot.send_message(group.id, "x", message_thread_id=topic.message_thread_id)
    assert message.message_thread_id == topic.message_thread_id
    assert await bot.set_my_commands([BotCommand("start", "开始")])
    assert (await bot.get_my_commands())[0].description == "开始"
    assert await bot.set_chat_menu_button()
    assert await bot.send_chat_action(resident.id, "upload_photo")
    assert await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="abc")
    info = await bot.get_webhook_info()
    assert info.url.endswith("/hook") and info.has_custom_certificate is False
    with pytest.raises(Conflict):
        await bot.get_updates()
    assert await bot.delete_webhook()


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # retry_after's type
async def test_errors_are_ptbs_exceptions(bot, sandbox, resident):
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(resident.id, "hi")
    await resident.send("hi")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(resident.id, make_png(1), caption="字" * 1025)
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        button = InlineKeyboardButton("x", callback_data="数据" * 11)  # 66 bytes in UTF-8
        await bot.send_message(resident.id, "x", reply_markup=InlineKeyboardMarkup([[button]]))
    resident.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(resident.id, "hi")
    resident.unblock()
    sandbox.set_limits(Limits(global_per_second=2, chat_per_second=None, group_per_minute=None))
    await bot.send_message(resident.id, "1")
    await bot.send_message(resident.id, "2")
    with pytest.raises(RetryAfter, match=r"Flood control exceeded\. Retry in 1 second"):
        await bot.send_message(resident.id, "3")


async def test_an_application_runs_a_conversation(sandbox, resident):
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(
            f"您好 {update.effective_user.first_name}", reply_markup=KEYBOARD
        )

    async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("好的", show_alert=True)
        await update.callback_query.edit_message_text(f"language {update.callback_query.data}")

    async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await update.message.photo[-1].get_file()
        data = await file.download_as_bytearray()
        await update.message.reply_document(bytes(data), filename="back.png")

    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{sandbox.url}/bot")
        .base_file_url(f"{sandbox.url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(language, pattern="^lang:"))
    application.add_handler(MessageHandler(filters.PHOTO, photo))
    async with application:
        await application.start()
        await application.updater.start_polling(timeout=SECOND)
        try:
            await resident.send("/start")
            [greeting] = await sandbox.wait_for(resident, 1)
            assert greeting.text == "您好 王阿姨"
            query = await resident.press(greeting.message_id, text="中文")
            assert await sandbox.wait_for_answer(query) == {
                "text": "好的",
                "show_alert": True,
                "url": None,
                "cache_time": 0,
            }
            sent = await resident.send_photo()
            messages = await sandbox.wait_for(resident, 2)
            assert sandbox.file_bytes(messages[1].document) == sandbox.file_bytes(
                sent["photo"][-1]["file_id"]
            )
            assert greeting.text == "language lang:zh"
        finally:
            await application.updater.stop()
            await application.stop()


async def test_the_chat_port_opens_a_forum_topic_and_sends_into_it(bot, sandbox):
    await check_forum_topics(bot, KIT, sandbox)
