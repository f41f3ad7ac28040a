"""The resident's verdict on a resolved ticket: 满意, 基本满意 or 不满意 (reopens, escalates);
no answer in time closes it without a rating; the reporter may reopen it for a while after."""

import logging
from datetime import datetime

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report.draft import MAX_TEXT
from handlers.staff import card
from handlers.staff.clock import reclock
from handlers.staff.escalate import escalate
from handlers.staff.notify import tell, tell_reporter
from handlers.texts import t
from storage.models import Person, Satisfaction, Ticket, TicketEvent
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.lifecycle import Action, Status, next_status

log = logging.getLogger(__name__)
REASON = "verdict.reason"  # the conversation step while an unsatisfied resident says why
CHOICES = {"s": Satisfaction.SATISFIED, "m": Satisfaction.MOSTLY, "u": Satisfaction.UNSATISFIED}


def verdict_buttons(language: str, ticket: Ticket) -> tuple[tuple[Button, ...], ...]:
    """满意 | 基本满意 | 不满意."""
    return (
        tuple(
            Button(t(language, f"verdict.{choice.value}"), f"v:{code}:{ticket.id}")
            for code, choice in CHOICES.items()
        ),
    )


async def ask_verdict(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    note: str,
    photos: tuple[str, ...],
    resolution_id: int | None,
    now: datetime,
) -> None:
    """The result to the reporter, with the after-photos and the three buttons; followers told."""
    reporter = await uow.people.get(ticket.reporter_id)
    if reporter is not None:
        language, label = reporter.language, await card.label_of(uow, ticket)
        wait = ctx.community.verdict.wait
        lines = [t(language, "verdict.resolved", ticket=label)]
        if note:
            lines.append(t(language, "verdict.note", note=note))
        lines.append(t(language, "verdict.ask", days=max(1, wait.days)))
        message = Message("\n".join(lines), verdict_buttons(language, ticket), photos=photos)
        await card.tell_person(uow, reporter, message, f"resolved:{resolution_id}", ticket, now)
    assert ticket.id is not None
    for follower in await uow.tickets.followers(ticket.id):
        what = f"resolved:{resolution_id}"
        await tell(ctx, uow, follower, ticket, "verdict.resolved_follower", what, now)


async def pressed(ctx: Context, incoming: Incoming, data: str) -> None:
    """A verdict button ("v:<s|m|u>:<ticket id>"): only the reporter, only while it is resolved."""
    code, _, value = data.partition(":")
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        ticket = await uow.tickets.get(int(value), for_update=True) if value.isdigit() else None
        reply, notice = None, "ticket.not_yours"
        if ticket is not None and ticket.reporter_id == person.id and code in CHOICES:
            reply, notice = await judge(ctx, uow, person, ticket, CHOICES[code], now)
        await uow.commit()
    assert incoming.callback_id is not None
    await ctx.chat.answer(incoming.callback_id, t(person.language, notice) if notice else None)
    if reply is not None and incoming.callback_message_id is not None:
        await ctx.chat.edit(incoming.chat_id, incoming.callback_message_id, reply)


async def judge(
    ctx: Context,
    uow: UnitOfWork,
    person: Person,
    ticket: Ticket,
    choice: Satisfaction,
    now: datetime,
) -> tuple[Message | None, str | None]:
    """Close with the rating, or ask why it is not satisfactory."""
    language, label = person.language, await card.label_of(uow, ticket)
    if ticket.status is not Status.RESOLVED:
        return None, "verdict.too_late"
    if choice is Satisfaction.UNSATISFIED:
        chat = person.telegram_id
        await uow.conversations.save(chat, chat, REASON, {"ticket_id": ticket.id}, now)
        return Message(t(language, "verdict.why", ticket=label)), None
    await close(ctx, uow, ticket, person.id, choice, now)
    return Message(t(language, "verdict.thanks", ticket=label)), None


async def close(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    actor_id: int | None,
    choice: Satisfaction | None,
    now: datetime,
) -> TicketEvent:
    """Close the ticket, rated or not; the card shows it and the team hears the verdict."""
    ticket.status = next_status(ticket.status, Action.CLOSE)
    ticket.satisfaction, ticket.closed_at = choice, now
    if choice is not None:
        await uow.tickets.record(
            ticket, EventKind.RATED, now, actor_id, {"satisfaction": choice.value}
        )
    data = {"rating": choice.value if choice else None}
    event = await uow.tickets.record(ticket, EventKind.CLOSED, now, actor_id, data)
    await reclock(ctx, uow, ticket, now)
    await card.refresh(ctx, uow, ticket, f"e{event.id}", now)
    verdict = t(card.TEAM_LANGUAGE, f"verdict.{choice.value}" if choice else "verdict.none")
    note = t(
        card.TEAM_LANGUAGE, "staff.closed", ticket=await card.label_of(uow, ticket), verdict=verdict
    )
    await card.tell_team(uow, ticket, Message(note), f"closed:{event.id}", now)
    return event


async def unsatisfied(
    ctx: Context, uow: UnitOfWork, person: Person, ticket_id: int, text: str, now: datetime
) -> Message:
    """不满意, with the resident's reason: the ticket reopens and climbs one rung."""
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if ticket is None or ticket.reporter_id != person.id or ticket.status is not Status.RESOLVED:
        return Message(t(person.language, "verdict.too_late"))
    reason = text.strip()[:MAX_TEXT]
    data = {"satisfaction": Satisfaction.UNSATISFIED.value, "reason": reason}
    await uow.tickets.record(ticket, EventKind.RATED, now, person.id, data)
    ticket.satisfaction = Satisfaction.UNSATISFIED
    await reopen(ctx, uow, ticket, person, reason, now)
    ticket.escalation_level = max(ticket.escalation_level, 0)  # above the handler, at least
    await escalate(ctx, uow, ticket, reason, person.id, now)
    return Message(t(person.language, "verdict.reopened", ticket=await card.label_of(uow, ticket)))


async def reopen(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, person: Person, reason: str, now: datetime
) -> None:
    """The ticket is open again: a new resolution cycle, the card and the team told."""
    ticket.status = next_status(ticket.status, Action.REOPEN)
    ticket.closed_at = None
    event = await uow.tickets.record(ticket, EventKind.REOPENED, now, person.id, {"reason": reason})
    await reclock(ctx, uow, ticket, now)
    await card.refresh(ctx, uow, ticket, f"e{event.id}", now)
    label = await card.label_of(uow, ticket)
    note = t(card.TEAM_LANGUAGE, "staff.reopened", ticket=label, reason=reason or "-")
    await card.tell_team(uow, ticket, Message(note), f"reopened:{event.id}", now)


def may_reopen(ctx: Context, ticket: Ticket, person: Person, now: datetime) -> bool:
    """The reporter may reopen a closed ticket within the community's window."""
    return (
        ticket.reporter_id == person.id
        and ticket.status is Status.CLOSED
        and ticket.closed_at is not None
        and now - ticket.closed_at <= ctx.community.verdict.reopen_within
    )


async def close_unrated(ctx: Context, limit: int = 100) -> int:
    """Close tickets resolved longer ago than the verdict wait, as "closed without rating"."""
    now, closed = ctx.now(), 0
    async with ctx.uow() as uow:
        for ticket in await uow.tickets.unrated(now - ctx.community.verdict.wait, limit):
            event = await close(ctx, uow, ticket, None, None, now)
            what = f"closed_unrated:{event.id}"
            await tell_reporter(ctx, uow, ticket, "verdict.closed_unrated", what, now)
            closed += 1
        await uow.commit()
    if closed:
        log.info("closed %d resolved tickets without a rating", closed)
    return closed
