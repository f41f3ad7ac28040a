"""Who is talking: the person behind each update, remembered with their language."""

from handlers.context import Context
from handlers.incoming import Incoming
from handlers.texts import language_of
from storage.models import Person


async def remember(ctx: Context, incoming: Incoming, language: str | None = None) -> Person:
    """The sender as a Person, created on first contact; `language` replaces their choice."""
    sender = incoming.sender
    async with ctx.uow() as uow:
        person = await uow.people.seen(
            sender.telegram_id,
            sender.name,
            ctx.now(),
            username=sender.username,
            language=language_of(sender.language),
        )
        if language is not None:
            person.language = language
        await uow.commit()
    return person
