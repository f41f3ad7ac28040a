"""Albums arrive one photo per update: keep the parts in the database, answer once per album."""

import logging
from dataclasses import replace
from datetime import timedelta

from handlers.context import Context
from handlers.incoming import Incoming, from_json, to_json

log = logging.getLogger(__name__)


async def keep(ctx: Context, incoming: Incoming) -> None:
    """Store one part of an album until the album is complete."""
    assert incoming.media_group_id is not None and incoming.message_id is not None
    async with ctx.uow() as uow:
        await uow.albums.keep(
            incoming.chat_id,
            incoming.media_group_id,
            incoming.message_id,
            to_json(incoming),
            ctx.now(),
        )
        await uow.commit()


def merge(parts: list[Incoming]) -> Incoming:
    """One update for the whole album: every file in order, the first caption as the text."""
    text = next((part.text for part in parts if part.text), "")
    files = tuple(file for part in parts for file in part.files)
    return replace(parts[0], text=text, files=files)


async def settled(ctx: Context, quiet: timedelta) -> list[list[Incoming]]:
    """Take the parts of each album that got no new part for `quiet`; each album only once."""
    albums = []
    async with ctx.uow() as uow:
        for chat_id, media_group_id in await uow.albums.settled(ctx.now() - quiet):
            parts = await uow.albums.take(chat_id, media_group_id)
            if parts:
                albums.append([from_json(part) for part in parts])
        await uow.commit()
    return albums


async def put_back(ctx: Context, parts: list[Incoming]) -> None:
    """Store an album's parts again after answering it failed, so the next round retries."""
    first = parts[0]
    log.warning("album %s in chat %s kept for another try", first.media_group_id, first.chat_id)
    for part in parts:
        await keep(ctx, part)
