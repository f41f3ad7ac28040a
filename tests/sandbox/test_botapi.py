"""The Bot API over HTTP: envelope, tokens, method names, parameter encodings, files."""

import aiohttp

from bot.sandbox.files import make_png
from tests.sandbox.helpers import BOT_ID, RawApi


async def test_the_envelope_and_unknown_methods(api):
    me = await api("getMe")
    assert me.status == 200 and me.body["ok"] is True
    assert me.result["id"] == BOT_ID
    missing = await api("sendTelepathy")
    assert (missing.status, missing.body) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    for path in (f"/bot{api.token}/", "/nothing/here"):
        async with api.session.get(api.url + path) as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found"


async def test_a_malformed_token_is_unauthorized(sandbox):
    async with aiohttp.ClientSession() as session:
        for token in ("nonsense", "abc:def", "123:", ":abc"):
            answer = await RawApi(session, sandbox.url, token)("getMe")
            assert answer.status == 401
            assert answer.body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        other = await RawApi(session, sandbox.url, "987:xyz")("getMe")
        assert other.result["id"] == 987  # any well-formed token is a bot


async def test_method_names_ignore_case_and_get_with_a_query_string_works(sandbox, api, resident):
    await resident.send("hi")
    assert (await api("GETME")).result["is_bot"] is True
    url = f"{sandbox.url}/bot{api.token}/sendmessage"
    async with api.session.get(url, params={"chat_id": str(resident.id), "text": "查询"}) as r:
        body = await r.json()
    assert body["result"]["text"] == "查询"
    assert sandbox.stats.requests["sendMessage"] == 1
    assert sandbox.stats.requests["getMe"] == 2


async def test_form_fields_carry_nested_json_as_text(sandbox, api, resident):
    await resident.send("hi")
    markup = '{"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]}'
    sent = await api.form(
        "sendMessage",
        chat_id=str(resident.id),
        text="确认?",
        reply_markup=markup,
        disable_notification="true",
        link_preview_options='{"is_disabled": true}',
    )
    assert sent.result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    bad = await api.form("sendMessage", chat_id=str(resident.id), text="x", reply_markup="{oops")
    assert bad.status == 400
    assert bad.description == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_multipart_uploads_and_attach_references(sandbox, api, resident):
    await resident.send("hi")
    image = make_png(5, 100, 80)
    direct = await api("sendPhoto", {"photo": ("p.png", image)}, chat_id=resident.id)
    assert [(s["width"], s["height"]) for s in direct.result["photo"]] == [(90, 72), (100, 80)]
    attached = await api(
        "sendDocument",
        {"thefile": ("notes.txt", b"hello")},
        chat_id=resident.id,
        document="attach://thefile",
        caption="说明",
    )
    document = attached.result["document"]
    assert (document["file_name"], document["mime_type"]) == ("notes.txt", "text/plain")
    assert sandbox.file_bytes(document["file_id"]) == b"hello"
    missing = await api("sendDocument", chat_id=resident.id)
    assert missing.description == 'Bad Request: parameter "document" is required'


async def test_file_ids_look_real_and_unique_ids_follow_content(sandbox, api, resident):
    await resident.send("hi")
    first = await api("sendDocument", {"document": ("a.bin", b"same")}, chat_id=resident.id)
    second = await api("sendDocument", {"document": ("b.bin", b"same")}, chat_id=resident.id)
    other = await api("sendDocument", {"document": ("c.bin", b"other")}, chat_id=resident.id)
    ids = [answer.result["document"] for answer in (first, second, other)]
    assert len({d["file_id"] for d in ids}) == 3
    assert all(len(d["file_id"]) > 50 and d["file_id"].isascii() for d in ids)
    assert ids[0]["file_unique_id"] == ids[1]["file_unique_id"] != ids[2]["file_unique_id"]


async def test_files_are_served_by_path(sandbox, api, resident):
    sent = await resident.send_photo()
    file_id = sent["photo"][-1]["file_id"]
    file = (await api("getFile", file_id=file_id)).result
    assert file["file_path"].startswith("photos/")
    async with api.session.get(f"{sandbox.url}/file/bot{api.token}/{file['file_path']}") as r:
        assert r.status == 200
        assert await r.read() == sandbox.file_bytes(file_id)
    async with api.session.get(f"{sandbox.url}/file/bot{api.token}/photos/nope.jpg") as r:
        assert r.status == 404
    unknown = await api("getFile", file_id="AgACAgIAAxkBAAIbogus")
    assert unknown.description == "Bad Request: invalid file_id"


async def test_chat_ids_may_be_usernames(sandbox, api, resident):
    sandbox.group(-1001777, "公开群", members=[resident], username="jinhua_public")
    sent = await api("sendMessage", chat_id="@jinhua_public", text="公告")
    assert sent.result["chat"] == {
        "id": -1001777,
        "title": "公开群",
        "username": "jinhua_public",
        "type": "group",
    }
    assert (await api("sendMessage", chat_id="@nobody", text="x")).status == 400


async def test_log_out_and_close_answer_true(api):
    assert (await api("logOut")).result is True
    assert (await api("close")).result is True


async def test_bot_text_gets_the_entities_telegram_detects(api, resident):
    await resident.send("hi")
    sent = await api(
        "sendMessage",
        chat_id=resident.id,
        text="<b>工单</b> 详情 https://example.org/t/42 或 /status",
        parse_mode="HTML",
    )
    assert [(e["type"], e["offset"], e["length"]) for e in sent.result["entities"]] == [
        ("bold", 0, 2),
        ("url", 6, 24),
        ("bot_command", 33, 7),
    ]


async def test_forwards_pins_multiple_deletes_and_profile_texts(sandbox, api, resident):
    team = sandbox.group(-1001000000077, "物业群")
    original = await resident.send("楼道灯坏了")
    forwarded = await api(
        "forwardMessage",
        chat_id=team.id,
        from_chat_id=resident.id,
        message_id=original["message_id"],
    )
    assert forwarded.result["text"] == "楼道灯坏了"
    assert forwarded.result["forward_origin"]["sender_user"]["id"] == resident.id
    assert (await api("pinChatMessage", chat_id=team.id, message_id=1)).result is True
    assert sandbox.world.pinned[team.id] == 1
    assert (await api("unpinChatMessage", chat_id=team.id)).result is True
    sent = [(await api("sendMessage", chat_id=team.id, text=str(n))).result for n in range(3)]
    ids = [message["message_id"] for message in sent] + [999]
    assert (await api("deleteMessages", chat_id=team.id, message_ids=ids)).result is True
    assert [m.deleted for m in sandbox.messages(team)] == [False, True, True, True]
    assert (await api("getMyName")).result == {"name": "Courtyard"}
    await api("setMyShortDescription", short_description="报修", language_code="zh")
    assert (await api("getMyShortDescription", language_code="zh")).result == {
        "short_description": "报修"
    }
    assert (await api("getMyShortDescription")).result == {"short_description": ""}
