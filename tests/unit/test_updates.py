"""Telegram's update JSON read into the neutral Incoming, as both transports use it."""

from datetime import UTC, datetime

from bot.telegram.updates import incoming_from_update
from handlers.incoming import FileKind, from_json, to_json

BOT_ID, BOT = 42, "courtyard_bot"
USER = {"id": 7, "is_bot": False, "first_name": "王", "last_name": "阿姨", "language_code": "zh"}


def message(**fields):
    base = {"message_id": 10, "date": 1_763_800_000, "chat": {"id": 7, "type": "private"}}
    return {"update_id": 1, "message": {**base, "from": USER, **fields}}


def test_a_command_with_its_argument():
    incoming = incoming_from_update(message(text="/start@courtyard_bot report"), BOT_ID, BOT)
    assert incoming.command == "start"
    assert incoming.argument == "report"
    assert incoming.sender.name == "王 阿姨"
    assert incoming.at == datetime(2025, 11, 22, 8, 26, 40, tzinfo=UTC)


def test_a_photo_keeps_the_largest_size_and_the_caption():
    sizes = [
        {"file_id": f"f{n}", "file_unique_id": f"u{n}", "width": n, "height": n} for n in (90, 800)
    ]
    incoming = incoming_from_update(
        message(photo=sizes, caption="漏水", media_group_id="g1"), BOT_ID, BOT
    )
    [photo] = incoming.files
    assert (photo.kind, photo.file_id) == (FileKind.PHOTO, "f800")
    assert incoming.text == "漏水"
    assert incoming.media_group_id == "g1"


def test_a_mention_of_the_bot_counts_utf16_offsets():
    text = "😀 @Courtyard_Bot 电梯坏了"  # the emoji is two UTF-16 units
    entity = {"type": "mention", "offset": 3, "length": 14}
    group = {"id": -5, "type": "supergroup", "title": "群"}
    update = message(text=text, entities=[entity], chat=group)
    assert incoming_from_update(update, BOT_ID, BOT).mentions_bot


def test_a_reply_to_the_bot():
    reply = {"message_id": 9, "date": 1, "chat": {"id": 7, "type": "private"}, "from": {"id": 42}}
    assert incoming_from_update(
        message(text="好的", reply_to_message=reply), BOT_ID, BOT
    ).reply_to_bot


def test_a_button_press():
    query = {
        "id": "99",
        "from": USER,
        "chat_instance": "1",
        "data": "lang:en",
        "message": {"message_id": 5, "date": 1, "chat": {"id": 7, "type": "private"}},
    }
    incoming = incoming_from_update({"update_id": 2, "callback_query": query}, BOT_ID, BOT)
    assert (incoming.callback_id, incoming.callback_data) == ("99", "lang:en")
    assert incoming.callback_message_id == 5 and incoming.is_button


def test_stickers_location_and_contact():
    sticker = incoming_from_update(message(sticker={"file_id": "s"}), BOT_ID, BOT)
    assert sticker.other == "sticker" and sticker.files == ()
    place = incoming_from_update(
        message(location={"latitude": 30.6, "longitude": 104.0}), BOT_ID, BOT
    )
    assert place.location == (30.6, 104.0)
    contact = incoming_from_update(message(contact={"phone_number": "138"}), BOT_ID, BOT)
    assert contact.contact_phone == "138"


def test_updates_the_bot_does_not_act_on():
    assert incoming_from_update({"update_id": 3, "poll": {}}, BOT_ID, BOT) is None


def test_an_incoming_survives_the_database_round_trip():
    sizes = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
    incoming = incoming_from_update(
        message(photo=sizes, location={"latitude": 1.5, "longitude": 2.5}), BOT_ID, BOT
    )
    restored = from_json(to_json(incoming))
    assert restored == incoming
    assert restored.files[0].kind is FileKind.PHOTO


def test_a_forum_group_is_marked_for_messages_and_button_presses():
    forum = {"id": -100, "type": "supergroup", "title": "报修", "is_forum": True}
    topic = {"message_thread_id": 3, "is_topic_message": True}
    incoming = incoming_from_update(message(text="灯坏了", chat=forum, **topic), BOT_ID, BOT)
    assert incoming.chat_is_forum and incoming.thread_id == 3
    query = {
        "id": "98",
        "from": USER,
        "chat_instance": "2",
        "data": "t:ack:1",
        "message": {"message_id": 6, "date": 1, "chat": forum, **topic},
    }
    press = incoming_from_update({"update_id": 4, "callback_query": query}, BOT_ID, BOT)
    assert press.chat_is_forum and press.thread_id == 3
    assert from_json(to_json(press)) == press
    plain = {"id": -5, "type": "supergroup", "title": "群"}
    assert not incoming_from_update(message(text="hi", chat=plain), BOT_ID, BOT).chat_is_forum
    assert not incoming_from_update(message(text="hi"), BOT_ID, BOT).chat_is_forum


def test_an_incoming_stored_before_forums_were_read_still_loads():
    stored = to_json(incoming_from_update(message(text="hi"), BOT_ID, BOT))
    del stored["chat_is_forum"]
    assert from_json(stored).chat_is_forum is False
