"""What a person sees for the basic updates, identical on both frameworks, polling or webhook."""

import asyncio

from sqlmodel import select

from storage.models import AlbumPart, Person


async def test_start_greets_in_chinese_with_language_buttons(running):
    user = running.sandbox.user(1001, "王阿姨", language_code="zh-hans")
    await user.send("/start")
    [welcome] = await running.sandbox.wait_for(user.id, 1)
    assert "您好，王阿姨" in welcome.text
    assert running.community.name in welcome.text
    assert welcome.button_texts() == ["📝 我要报修", "📋 我的报修", "中文", "English"]


async def test_start_greets_a_foreign_resident_in_english(running):
    user = running.sandbox.user(1002, "Anna", language_code="en-US")
    await user.send("/start")
    [welcome] = await running.sandbox.wait_for(user.id, 1)
    assert welcome.text.startswith("Hello Anna!")


async def test_a_text_opens_a_report(running):
    user = running.sandbox.user(1003, "李叔", language_code="zh-hans")
    await user.send("3栋2单元楼道灯坏了")
    [reply] = await running.sandbox.wait_for(user.id, 1)
    assert reply.text == "请问您住在哪个小区？"
    assert reply.button_texts()[:2] == ["锦华苑", "天府花园"]


async def test_a_photo_is_acknowledged_and_can_be_downloaded(running):
    user = running.sandbox.user(1004, "张姐", language_code="zh-hans")
    image = b"\x89PNG\r\n\x1a\n" + b"leak-photo" * 10
    sent = await user.send_photo(caption="厨房漏水", image=image)
    [reply] = await running.sandbox.wait_for(user.id, 1)
    assert "已收下1张照片" in reply.text
    largest = sent["photo"][-1]["file_id"]
    assert await running.bot.transport.chat.download(largest) == image


async def test_an_album_of_three_is_answered_once(running):
    user = running.sandbox.user(1005, "刘师傅", language_code="zh-hans")
    await user.send_album(3, caption="电梯门关不上")
    [reply] = await running.sandbox.wait_for(user.id, 1)
    assert "已收下3张照片" in reply.text
    await asyncio.sleep(0.6)  # twice the album wait: a second answer would be here by now
    assert len(running.sandbox.messages(user.id)) == 1
    async with running.db.uow() as uow:
        assert (await uow.session.exec(select(AlbumPart))).all() == []


async def test_pressing_english_switches_the_language(running):
    user = running.sandbox.user(1006, "Ken", language_code="zh-hans")
    await user.send("/start")
    [welcome] = await running.sandbox.wait_for(user.id, 1)
    query = await user.press(welcome.message_id, text="English")
    answer = await running.sandbox.wait_for_answer(query)
    assert answer["text"] == "Switched to English."
    for _ in range(100):  # the welcome is redrawn right after the press is answered
        [edited] = running.sandbox.messages(user.id)
        if edited.edits:
            break
        await asyncio.sleep(0.02)
    assert edited.text.startswith("Hello Ken!")
    assert edited.edits and edited.edits[0].startswith("您好")
    async with running.db.uow() as uow:
        person = (await uow.session.exec(select(Person).where(Person.telegram_id == 1006))).one()
        assert person.language == "en"


async def test_a_sticker_gets_a_friendly_word(running):
    user = running.sandbox.user(1007, "小朋友", language_code="zh-hans")
    await user.send_sticker()
    [reply] = await running.sandbox.wait_for(user.id, 1)
    assert "看不懂表情" in reply.text


async def test_in_a_group_only_messages_for_the_bot_get_an_answer(running):
    user = running.sandbox.user(1008, "业主", language_code="zh-hans")
    group = running.sandbox.group(-100555, "锦华苑业主群", members=[user])
    await user.send("今天天气不错", chat=group)
    message = await user.send(f"@{running.bot.transport.username} 2栋电梯坏了", chat=group)
    [reply] = await running.sandbox.wait_for(group.id, 1)
    assert reply.reply_to_message_id == message["message_id"]
    [[button]] = reply.buttons
    assert button.url.startswith(f"https://t.me/{running.bot.transport.username}?start=t")
