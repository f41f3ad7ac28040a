"""A restart between the parts of an album loses no photo and answers the album once."""

import asyncio

from sqlmodel import func, select

from storage.models import AlbumPart


async def stored_parts(db) -> int:
    async with db.uow() as uow:
        return (await uow.session.exec(select(func.count()).select_from(AlbumPart))).one()


async def test_a_restart_in_the_middle_of_an_album(running):
    sandbox, user = running.sandbox, running.sandbox.user(3001, "周阿姨", language_code="zh-hans")
    running.overrides["album_wait"] = 15.0  # long enough for the restart to fall inside the album
    await running.stop()
    await running.start()

    await user.send_photo(caption="屋顶渗水", media_group_id="roof-1")
    await user.send_photo(media_group_id="roof-1")
    for _ in range(300):  # a loaded machine may take seconds
        if await stored_parts(running.db) == 2:
            break
        await asyncio.sleep(0.05)
    assert await stored_parts(running.db) == 2

    await running.stop()
    await user.send_photo(media_group_id="roof-1")  # Telegram keeps it while the bot is down
    await running.start(album_wait=1.5)  # the part queued while down must arrive within it

    [reply] = await sandbox.wait_for(user.id, 1, timeout=20)
    assert "已收下3张照片" in reply.text
    await asyncio.sleep(0.6)
    assert len(sandbox.messages(user.id)) == 1
    assert await stored_parts(running.db) == 0
