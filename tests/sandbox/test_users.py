"""The people's side: what the bot receives from them, privacy mode, and the test helpers."""

import pytest

from bot.sandbox import Sandbox, SandboxError, SentMessage


def texts(updates) -> list[str]:
    return [update["message"].get("text") for update in updates if "message" in update]


async def test_a_private_message_as_the_bot_sees_it(sandbox, resident):
    message = await resident.send("/start abc")
    assert message["chat"] == {"id": 1001, "first_name": "王阿姨", "type": "private"}
    assert message["from"] == {
        "id": 1001,
        "is_bot": False,
        "first_name": "王阿姨",
        "language_code": "zh-hans",
    }
    assert message["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    assert isinstance(message["date"], int) and message["date"] < 10**10  # seconds
    assert sandbox.user(1001) is not None and sandbox.user(1001).first_name == "王阿姨"
    assert [u["message"] for u in sandbox.updates_pending()] == [message]


async def test_privacy_mode_hides_group_chatter(sandbox, api, resident):
    group = sandbox.group(-1001234, "锦华苑业主群", members=[resident])
    bot_message = (await api("sendMessage", chat_id=group.id, text="公告")).result
    await resident.send("大家好", chat=group)
    await resident.send("/report 漏水", chat=group)
    await resident.send("/help@other_bot", chat=group)
    await resident.send("@Courtyard_Sandbox_Bot 在吗", chat=group)
    await resident.send("收到", chat=group, reply_to=bot_message["message_id"])
    other = await resident.send("闲聊", chat=group)
    await resident.send("回复闲聊", chat=group, reply_to=other["message_id"])
    await resident.send_photo(chat=group)
    await resident.send_photo(caption="@courtyard_sandbox_bot 看", chat=group)
    seen = sandbox.updates_pending()
    assert texts(seen) == ["/report 漏水", "@Courtyard_Sandbox_Bot 在吗", "收到", None]
    assert seen[2]["message"]["reply_to_message"] == bot_message
    assert seen[3]["message"]["caption"] == "@courtyard_sandbox_bot 看"


async def test_without_privacy_the_bot_sees_everything():
    async with Sandbox(privacy=False) as sandbox:
        resident = sandbox.user(1, "甲")
        group = sandbox.group(-5, "群", members=[resident])
        await resident.send("闲聊", chat=group)
        await resident.send_location(1, 2, chat=group)
        assert len(sandbox.updates_pending()) == 2


async def test_a_group_without_the_bot_sends_it_nothing(sandbox, resident):
    group = sandbox.group(-6, "群", members=[resident], add_bot=False)
    await resident.send("/start", chat=group)
    assert sandbox.updates_pending() == 0
    group.add_bot(by=resident)
    kinds = [next(k for k in u if k != "update_id") for u in sandbox.updates_pending()]
    assert kinds == ["my_chat_member", "message"]
    assert sandbox.updates_pending()[1]["message"]["new_chat_members"][0]["is_bot"] is True
    group.remove_bot(by=resident)
    assert sandbox.updates_pending()[-1]["my_chat_member"]["new_chat_member"]["status"] == "left"


async def test_albums_share_a_media_group_and_photos_differ(sandbox, resident):
    album = await resident.send_album(3, caption="三张")
    assert len({m["media_group_id"] for m in album}) == 1
    assert [m.get("caption") for m in album] == ["三张", None, None]
    largest = [m["photo"][-1] for m in album]
    assert len({p["file_unique_id"] for p in largest}) == 3
    assert all(len(m["photo"]) >= 2 for m in album)
    data = sandbox.file_bytes(largest[0]["file_id"])
    assert data.startswith(b"\x89PNG") and data != sandbox.file_bytes(largest[1]["file_id"])
    own = await resident.send_album([b"GIF89a\x10\x00\x10\x00" + b"\0" * 20] * 2)
    assert own[0]["photo"][-1]["width"] == 16
    with pytest.raises(SandboxError):
        await resident.send_album(1)
    first = await resident.send_photo(caption="分开发", media_group_id="roof-1")
    second = await resident.send_photo(media_group_id="roof-1")
    assert first["media_group_id"] == second["media_group_id"] == "roof-1"


async def test_other_media(sandbox, resident):
    document = await resident.send_document(b"%PDF-1.4", "报修单.pdf", caption="附件")
    assert document["document"]["mime_type"] == "application/pdf"
    assert sandbox.file_bytes(document["document"]["file_id"]) == b"%PDF-1.4"
    voice = await resident.send_voice(b"OggS-voice", duration=4)
    assert voice["voice"]["duration"] == 4
    contact = await resident.send_contact("13800000000")
    assert contact["contact"] == {
        "phone_number": "13800000000",
        "first_name": "王阿姨",
        "user_id": 1001,
    }
    location = await resident.send_location(30.65, 104.06)
    assert location["location"] == {"latitude": 30.65, "longitude": 104.06}


async def test_topics_and_replies_in_a_forum(sandbox, api, resident):
    forum = sandbox.group(-1001000000009, "论坛", members=[resident], forum=True)
    topic = (await api("createForumTopic", chat_id=forum.id, name="报修")).result
    thread = topic["message_thread_id"]
    message = await resident.send("/report", chat=forum, thread_id=thread)
    assert (message["message_thread_id"], message["is_topic_message"]) == (thread, True)
    answer = (
        await api(
            "sendMessage",
            chat_id=forum.id,
            text="收到",
            reply_parameters={"message_id": message["message_id"]},
        )
    ).result
    assert answer["message_thread_id"] == thread  # a reply stays in its topic
    assert sandbox.messages(forum)[0].thread_id == thread
    with pytest.raises(SandboxError, match="no topic"):
        await resident.send("x", chat=forum, thread_id=999)
    missing = await api("sendMessage", chat_id=forum.id, text="x", message_thread_id=999)
    assert missing.description == "Bad Request: message thread not found"


async def test_blocking(sandbox, api, resident):
    await resident.send("hi")
    resident.block()
    resident.block()  # once is enough
    update = sandbox.updates_pending()[-1]["my_chat_member"]
    assert update["old_chat_member"]["status"] == "member"
    assert update["new_chat_member"] == {
        "status": "kicked",
        "user": update["new_chat_member"]["user"],
        "until_date": 0,
    }
    with pytest.raises(SandboxError, match="blocked"):
        await resident.send("hi")
    resident.unblock()
    assert sandbox.updates_pending()[-1]["my_chat_member"]["new_chat_member"]["status"] == "member"
    await resident.send("back")


async def test_pressing_buttons(sandbox, api, resident):
    await resident.send("hi")
    keyboard = {
        "inline_keyboard": [
            [{"text": "English", "callback_data": "lang:en"}],
            [{"text": "网站", "url": "https://example.org"}],
        ]
    }
    sent = (await api("sendMessage", chat_id=resident.id, text="?", reply_markup=keyboard)).result
    by_text = await resident.press(sent["message_id"], text="English")
    by_data = await resident.press(sent["message_id"], data="lang:en")
    assert by_text != by_data
    queries = [u["callback_query"] for u in sandbox.updates_pending() if "callback_query" in u]
    assert queries[0]["chat_instance"] == queries[1]["chat_instance"]
    assert queries[0]["message"] == sent
    with pytest.raises(SandboxError, match="no such callback button"):
        await resident.press(sent["message_id"], data="lang:fr")
    with pytest.raises(SandboxError, match="no such callback button"):
        await resident.press(sent["message_id"], text="网站")
    with pytest.raises(SandboxError, match="no bot message"):
        await resident.press(12345, data="x")
    await api("answerCallbackQuery", callback_query_id=by_text, text="OK", show_alert=True)
    answer = await sandbox.wait_for_answer(by_text, timeout=1)
    assert (answer["text"], answer["show_alert"]) == ("OK", True)
    with pytest.raises(TimeoutError):
        await sandbox.wait_for_answer(by_data, timeout=0.05)


async def test_edited_messages(sandbox, resident):
    message = await resident.send("写错了")
    edited = await resident.edit(message["message_id"], "/start")
    assert edited["text"] == "/start" and edited["edit_date"] >= edited["date"]
    assert edited["entities"][0]["type"] == "bot_command"
    assert sandbox.updates_pending()[-1]["edited_message"] == edited
    assert message["text"] == "写错了"  # what send() returned does not change


async def test_sent_messages_and_waiting(sandbox, api, resident):
    await resident.send("hi")
    with pytest.raises(
        TimeoutError, match=r"expected at least 1 bot message\(s\) within 0.05 s, got 0"
    ):
        await sandbox.wait_for(resident, timeout=0.05)
    await api("sendMessage", chat_id=resident.id, text="<i>一</i>", parse_mode="HTML")
    await api("sendDocument", {"document": ("a.txt", b"abc")}, chat_id=resident.id, caption="文件")
    messages = await sandbox.wait_for(resident.id, 2, timeout=1)
    assert all(isinstance(m, SentMessage) for m in messages)
    assert [(m.kind, m.text, m.parse_mode) for m in messages] == [
        ("text", "一", "HTML"),
        ("document", "文件", None),
    ]
    assert messages[1].document == messages[1].file_id
    assert sandbox.file_bytes(messages[1].document) == b"abc"
    with pytest.raises(
        TimeoutError, match=r"got 2: \[\(2, 'text', '一'\), \(3, 'document', '文件'\)\]"
    ):
        await sandbox.wait_for(resident, 3, timeout=0.05)
    with pytest.raises(SandboxError):
        sandbox.file_bytes("nope")


async def test_pending_updates_compare_as_a_list_or_a_count(sandbox, resident):
    assert sandbox.updates_pending() == 0 and sandbox.updates_pending() == []
    await resident.send("一")
    pending = sandbox.updates_pending()
    assert pending == 1 and pending > 0 and pending < 2 and pending != 0 and len(pending) == 1


async def test_mistakes_in_tests_are_explained(sandbox, resident):
    with pytest.raises(SandboxError, match="no chat"):
        await resident.send("x", chat=-999)
    with pytest.raises(SandboxError, match="1-4096"):
        await resident.send("  ")
    with pytest.raises(SandboxError, match="to reply to"):
        await resident.send("x", reply_to=77)
    with pytest.raises(SandboxError, match="negative"):
        sandbox.group(5, "x")
    with pytest.raises(SandboxError, match="another user's"):
        await resident.send("x", chat=sandbox.user(1002, "乙").id)
    stopped = Sandbox()
    with pytest.raises(SandboxError, match="not started"):
        stopped.url  # noqa: B018


async def test_people_edit_captions_but_not_locations(sandbox, resident):
    photo = await resident.send_photo(caption="旧")
    assert (await resident.edit(photo["message_id"], "新 #报修"))["caption_entities"][0][
        "type"
    ] == "hashtag"
    location = await resident.send_location(1, 2)
    with pytest.raises(SandboxError, match="neither text nor a caption"):
        await resident.edit(location["message_id"], "x")
