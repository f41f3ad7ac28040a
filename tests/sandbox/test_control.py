"""The HTTP control API under /_sandbox/: acting as people and reading back what the bot did."""

import asyncio
import base64


async def test_users_write_and_the_bot_answers(sandbox, api):
    created = await api.control(
        "POST", "/users", {"id": 1001, "first_name": "王阿姨", "language_code": "zh-hans"}
    )
    assert created.result == {
        "id": 1001,
        "is_bot": False,
        "first_name": "王阿姨",
        "language_code": "zh-hans",
    }
    sent = await api.control("POST", "/users/1001/messages", {"text": "/start"})
    assert sent.result["entities"][0]["type"] == "bot_command"
    keyboard = {"inline_keyboard": [[{"text": "English", "callback_data": "lang:en"}]]}
    reply = await api(
        "sendMessage", chat_id=1001, text="<b>语言</b>", parse_mode="HTML", reply_markup=keyboard
    )
    messages = await api.control("GET", "/chats/1001/messages")
    assert messages.result == [
        {
            "chat_id": 1001,
            "message_id": reply.result["message_id"],
            "text": "语言",
            "kind": "text",
            "date": reply.result["date"],
            "buttons": [[{"text": "English", "data": "lang:en", "url": None}]],
            "keyboard": [],
            "photos": [],
            "document": None,
            "file_id": None,
            "media_group_id": None,
            "reply_to_message_id": None,
            "thread_id": None,
            "edits": [],
            "deleted": False,
            "parse_mode": "HTML",
            "entities": [{"type": "bold", "offset": 0, "length": 2}],
        }
    ]
    pressed = await api.control(
        "POST", "/users/1001/press", {"message_id": reply.result["message_id"], "text": "English"}
    )
    query = pressed.result["callback_query_id"]
    await api("answerCallbackQuery", callback_query_id=query, text="ok")
    answers = await api.control("GET", "/callback_answers")
    assert answers.result[query]["text"] == "ok"


async def test_media_groups_blocking_and_waiting(sandbox, api):
    await api.control("POST", "/users", {"id": 7, "first_name": "甲"})
    await api.control("POST", "/users", {"id": 8, "first_name": "乙"})
    group = await api.control(
        "POST", "/groups", {"id": -100, "title": "群", "members": [7, 8], "forum": False}
    )
    assert group.result == {"id": -100, "title": "群", "type": "group"}
    one = await api.control("POST", "/users/7/photos", {"caption": "看", "chat_id": -100})
    assert one.result["chat"]["id"] == -100 and one.result["photo"]
    album = await api.control("POST", "/users/7/photos", {"count": 3})
    assert len(album.result) == 3
    content = base64.b64encode(b"%PDF").decode()
    document = await api.control(
        "POST", "/users/7/documents", {"content_base64": content, "file_name": "a.pdf"}
    )
    file_id = document.result["document"]["file_id"]
    async with api.session.get(f"{sandbox.url}/_sandbox/files/{file_id}") as response:
        assert await response.read() == b"%PDF"
    await api.control("POST", "/users/7/locations", {"latitude": 1.5, "longitude": 2.5})
    await api.control("POST", "/users/7/contacts", {"phone_number": "13800000000"})
    edit = {"message_id": one.result["message_id"], "text": "新说明", "chat_id": -100}
    edited = await api.control("POST", "/users/7/edits", edit)
    assert edited.result["caption"] == "新说明" and "text" not in edited.result
    assert (await api.control("POST", "/users/8/block")).result is True
    refused = await api("sendMessage", chat_id=8, text="x")
    assert refused.status == 403
    assert (await api.control("POST", "/users/8/unblock")).result is True

    waiting = asyncio.create_task(api.control("GET", "/chats/7/messages?count=1&timeout=2"))
    await asyncio.sleep(0.05)
    await api("sendMessage", chat_id=7, text="到了")
    assert [m["text"] for m in (await waiting).result] == ["到了"]
    timed_out = await api.control("GET", "/chats/7/messages?count=5&timeout=0.05")
    assert timed_out.status == 408 and "expected at least 5" in timed_out.body["error"]
    pending = await api.control("GET", "/updates")
    assert len(pending.result) == len(sandbox.updates_pending())


async def test_limits_and_stats(sandbox, api):
    assert (await api.control("GET", "/limits")).result == {
        "global_per_second": None,
        "chat_per_second": None,
        "group_per_minute": None,
    }
    changed = await api.control("PUT", "/limits", {"chat_per_second": 1})
    assert changed.result["chat_per_second"] == 1
    await api.control("POST", "/users", {"id": 7, "first_name": "甲"})
    await api.control("POST", "/users/7/messages", {"text": "hi"})
    await api("sendMessage", chat_id=7, text="1")
    assert (await api("sendMessage", chat_id=7, text="2")).status == 429
    stats = (await api.control("GET", "/stats")).result
    assert stats["accepted"] == 1 and stats["too_many_requests"] == 1
    assert stats["per_chat"] == {"7": 1} and stats["requests"]["sendMessage"] == 2
    assert stats["errors"] == {"429": 1}
    assert (await api.control("PUT", "/limits", {"off": True})).result["chat_per_second"] is None
    about = (await api.control("GET", "")).result
    assert about["bot"]["username"] == "courtyard_sandbox_bot"


async def test_errors_are_json_with_a_reason(api):
    missing = await api.control("POST", "/users/404/messages", {"text": "x"})
    assert missing.status == 404
    assert missing.body == {"ok": False, "error": "no user 404: POST /_sandbox/users first"}
    await api.control("POST", "/users", {"id": 7, "first_name": "甲"})
    no_text = await api.control("POST", "/users/7/messages", {})
    assert (no_text.status, no_text.body["error"]) == (400, "missing field 'text'")
    bad_limits = await api.control("PUT", "/limits", {"per_hour": 5})
    assert bad_limits.status == 400 and "unknown limits ['per_hour']" in bad_limits.body["error"]
    no_button = await api.control("POST", "/users/7/press", {"message_id": 1, "data": "x"})
    assert no_button.status == 400 and "no bot message 1" in no_button.body["error"]
    async with api.session.post(f"{api.url}/_sandbox/users", data=b"{nope") as response:
        assert response.status == 400
        assert (await response.json())["error"] == "the body is not valid JSON"
