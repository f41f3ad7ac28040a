"""Notes to residents about their tickets, each in the resident's own language, once per cause."""

from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.report import wording
from handlers.staff.card import label_of, tell_person
from handlers.texts import t
from storage.models import Person, Ticket
from storage.uow import UnitOfWork


def _localised(ctx: Context, language: str, values: dict[str, object]) -> dict[str, object]:
    """Moments in the resident's words and time zone; everything else as it is."""
    return {
        name: wording.moment(language, value, ctx.tz) if isinstance(value, datetime) else value
        for name, value in values.items()
    }


async def tell(
    ctx: Context,
    uow: UnitOfWork,
    person: Person,
    ticket: Ticket,
    key: str,
    what: str,
    now: datetime,
    **values: object,
) -> None:
    """Queue the note `key` about `ticket` to one resident."""
    language = person.language
    text = t(language, key, ticket=await label_of(uow, ticket), **_localised(ctx, language, values))
    await tell_person(uow, person, Message(text), what, ticket, now)


async def tell_reporter(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    key: str,
    what: str,
    now: datetime,
    **values: object,
) -> None:
    """Queue a note to the resident who reported the ticket."""
    reporter = await uow.people.get(ticket.reporter_id)
    if reporter is not None:
        await tell(ctx, uow, reporter, ticket, key, what, now, **values)


async def tell_residents(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    key: str,
    what: str,
    now: datetime,
    **values: object,
) -> None:
    """Queue a note to the reporter and every follower of the ticket."""
    await tell_reporter(ctx, uow, ticket, key, what, now, **values)
    assert ticket.id is not None
    for follower in await uow.tickets.followers(ticket.id):
        await tell(ctx, uow, follower, ticket, key, what, now, **values)
