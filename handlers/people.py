"""Who is talking: the person behind each update, remembered with their language."""

from datetime import datetime

from handlers.context import Context
from handlers.incoming import Incoming
from handlers.texts import language_of
from storage.models import Person
from storage.uow import UnitOfWork


async def seen(uow: UnitOfWork, incoming: Incoming, now: datetime) -> Person:
    """The sender as a Person, created on first contact; notes when they first wrote in private."""
    sender = incoming.sender
    person = await uow.people.seen(
        sender.telegram_id,
        sender.name,
        now,
        username=sender.username,
        language=language_of(sender.language),
    )
    if incoming.is_private and person.started_at is None:
        person.started_at = now  # from now on the bot may write to them first
    return person


async def remember(ctx: Context, incoming: Incoming, language: str | None = None) -> Person:
    """The sender as a Person, in a transaction of its own; `language` replaces their choice."""
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, ctx.now())
        if language is not None:
            person.language = language
        await uow.commit()
    return person
