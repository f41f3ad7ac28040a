"""Flood limits over HTTP: what is counted, the 429 answer, counters, and switching limits off."""

import pytest

from bot.sandbox import Limits, Sandbox
from tests.sandbox.helpers import Clock

ONLY_CHAT = Limits(global_per_second=None, chat_per_second=1, group_per_minute=None)


def too_many(answer, seconds: int) -> None:
    assert answer.status == 429
    assert answer.body == {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


@pytest.fixture
async def people(sandbox, resident):
    others = [sandbox.user(2000 + n, f"住户{n}") for n in range(3)]
    for person in (resident, *others):
        await person.send("/start")
    return [resident, *others]


async def test_one_message_per_chat_per_second(sandbox, api, people):
    sandbox.set_limits(ONLY_CHAT)
    first, second = people[0].id, people[1].id
    assert (await api("sendMessage", chat_id=first, text="1")).status == 200
    too_many(await api("sendMessage", chat_id=first, text="2"), 1)
    assert (await api("sendMessage", chat_id=second, text="1")).status == 200
    assert sandbox.stats.accepted == 2
    assert sandbox.stats.too_many_requests == 1
    assert sandbox.stats.per_chat == {first: 1, second: 1}


async def test_the_global_limit_spans_chats(sandbox, api, people):
    sandbox.set_limits(Limits(global_per_second=3, chat_per_second=None, group_per_minute=None))
    answers = [await api("sendMessage", chat_id=p.id, text="x") for p in people]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    too_many(answers[-1], 1)


async def test_groups_have_a_per_minute_limit(sandbox, api, resident):
    clock = Clock()
    async with Sandbox(
        Limits(global_per_second=None, chat_per_second=None, group_per_minute=2), clock=clock
    ) as limited:
        group = limited.group(-100, "群", members=[limited.user(1, "甲")])
        api.url = limited.url
        assert (await api("sendMessage", chat_id=group.id, text="1")).status == 200
        clock.now += 15
        assert (await api("sendMessage", chat_id=group.id, text="2")).status == 200
        too_many(await api("sendMessage", chat_id=group.id, text="3"), 45)
        clock.now += 45
        assert (await api("sendMessage", chat_id=group.id, text="3")).status == 200


async def test_what_is_counted(sandbox, api, resident, people):
    sandbox.set_limits(ONLY_CHAT)
    chat = resident.id
    sent = (
        await api(
            "sendMessage",
            chat_id=chat,
            text="x",
            reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]},
        )
    ).result
    query = await resident.press(sent["message_id"], data="a")
    # none of these create a message, so none is counted or refused
    assert (
        await api("editMessageText", chat_id=chat, message_id=sent["message_id"], text="y")
    ).status == 200
    assert (await api("sendChatAction", chat_id=chat, action="typing")).status == 200
    assert (await api("answerCallbackQuery", callback_query_id=query)).status == 200
    assert (await api("getChat", chat_id=chat)).status == 200
    assert (await api("deleteMessage", chat_id=chat, message_id=sent["message_id"])).status == 200
    for method, params in [
        ("sendLocation", {"latitude": 1, "longitude": 2}),
        ("copyMessage", {"from_chat_id": chat, "message_id": 1}),
        ("sendContact", {"phone_number": "1", "first_name": "a"}),
    ]:
        too_many(await api(method, chat_id=chat, **params), 1)
    assert sandbox.stats.accepted == 1


async def test_an_album_counts_once_per_item(sandbox, api, resident, people):
    sandbox.set_limits(Limits(global_per_second=4, chat_per_second=None, group_per_minute=None))
    photo = (await resident.send_photo())["photo"][-1]["file_id"]
    media = [{"type": "photo", "media": photo}] * 3
    assert (await api("sendMediaGroup", chat_id=resident.id, media=media)).status == 200
    too_many(await api("sendMediaGroup", chat_id=people[1].id, media=media[:2]), 1)
    assert (await api("sendMessage", chat_id=people[1].id, text="fits")).status == 200
    assert sandbox.stats.accepted == 4
    assert sandbox.stats.per_chat == {resident.id: 3, people[1].id: 1}


async def test_limits_off_and_on_again(sandbox, api, resident, people):
    sandbox.set_limits(Limits.off())
    for _ in range(50):
        assert (await api("sendMessage", chat_id=resident.id, text="x")).status == 200
    assert sandbox.stats.accepted == 50 and sandbox.stats.too_many_requests == 0
    sandbox.set_limits(Limits())  # windows start empty: nothing was timed while off
    assert sandbox.limits == Limits()
    assert (await api("sendMessage", chat_id=resident.id, text="x")).status == 200
    too_many(await api("sendMessage", chat_id=resident.id, text="x"), 1)
    assert sandbox.stats.too_many_requests == 1
