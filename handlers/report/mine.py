"""/my: a resident's tickets, each with its history, a way to add to it, and a way to cancel it."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report import questions, wording
from handlers.report.draft import MAX_FILES, MAX_TEXT, new_draft, valid_file
from handlers.report.filing import keep_files, photo_ids
from handlers.report.intake import Turn, advance, key_of
from handlers.staff import card, verdict
from handlers.staff.card import TEAM_LANGUAGE, tell_team
from handlers.staff.clock import reclock
from handlers.staff.notify import tell
from handlers.texts import t
from storage.models import Conversation, Person, Ticket
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.lifecycle import Action, Status, is_open, next_status

Outcome = tuple[Message | None, str | None]  # the message redrawn in place, a short notice
ADDING = "ticket.add"  # the conversation step while the resident adds to a ticket
SHOWN_EVENTS = frozenset(EventKind) - {EventKind.REMINDED}  # what a resident's history shows


async def set_aside(uow: UnitOfWork, person: Person, ticket: Ticket, now: datetime) -> None:
    """Wait for an addition to `ticket`, keeping any report being written to restore after."""
    chat = person.telegram_id
    data: dict[str, Any] = {"ticket_id": ticket.id}
    before = await uow.conversations.get(chat, chat, for_update=True)
    if before is not None and before.step != ADDING:
        data["set_aside"] = {"step": before.step, "data": before.data}
    elif before is not None:
        data["set_aside"] = before.data.get("set_aside")
    await uow.conversations.save(chat, chat, ADDING, data, now)


async def restore(uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Stop waiting for an addition; a report that was being written is back where it stood."""
    chat = person.telegram_id
    conversation = await uow.conversations.get(chat, chat, for_update=True)
    if conversation is None or conversation.step != ADDING:
        return
    aside = conversation.data.get("set_aside")
    if aside:
        await uow.conversations.save(chat, chat, aside["step"], aside["data"], now)
    else:
        await uow.conversations.clear(chat, chat)


def ticket_line(language: str, label: str, ticket: Ticket, ctx: Context) -> str:
    """One line of the list: number, category, status, and the deadline being chased."""
    category = t(language, f"category.{ticket.category.value}")
    line = f"{label} · {category} · {t(language, f'status.{ticket.status.value}')}"
    due = ticket.resolution_due if ticket.first_responded_at else ticket.first_response_due
    if is_open(ticket.status) and due is not None:
        line += "\n   " + t(language, "mine.due", at=wording.moment(language, due, ctx.tz))
    return line


async def show_list(ctx: Context, incoming: Incoming) -> None:
    """/my: open tickets first, then recent ones, each a button to open it."""
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, ctx.now())
        message = await list_message(ctx, uow, person)
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, message)


async def list_message(ctx: Context, uow: UnitOfWork, person: Person) -> Message:
    """The resident's tickets as lines and buttons."""
    language = person.language
    assert person.id is not None
    tickets = await uow.tickets.of_resident(person.id, limit=10)
    if not tickets:
        return Message(t(language, "mine.none"))
    lines, buttons = [t(language, "mine.title")], []
    for ticket in tickets:
        label = await card.label_of(uow, ticket)
        lines.append(ticket_line(language, label, ticket, ctx))
        buttons.append(Button(label, f"t:o:{ticket.id}"))
    return Message("\n".join(lines), buttons=questions.rows(buttons, 3))


async def details(ctx: Context, uow: UnitOfWork, person: Person, ticket: Ticket) -> Message:
    """One ticket: labels, place, words, deadlines, its history; add and cancel buttons."""
    language, label = person.language, await card.label_of(uow, ticket)
    lines = [
        f"{label} · {t(language, f'status.{ticket.status.value}')}",
        wording.labels(language, ticket.urgency, ticket.category),
        t(language, "report.summary_text", text=ticket.text or t(language, "report.no_text")),
    ]
    if is_open(ticket.status) and ticket.first_response_due is not None:
        due = (ticket.first_response_due, ticket.resolution_due)
        lines.append(wording.deadlines(language, *due, ctx.tz))
    lines.append(t(language, "mine.history"))
    assert ticket.id is not None
    for event in await uow.tickets.history(ticket.id):
        if event.kind in SHOWN_EVENTS:
            at = wording.moment(language, event.at, ctx.tz)
            lines.append(f"• {at} {t(language, f'event.{event.kind}')}")
    buttons: list[tuple[Button, ...]] = []
    if verdict.may_reopen(ctx, ticket, person, ctx.now()):
        buttons.append((Button(t(language, "mine.reopen"), f"t:ro:{ticket.id}"),))
    if is_open(ticket.status):
        row = [Button(t(language, "mine.add"), f"t:m:{ticket.id}")]
        if ticket.reporter_id == person.id:
            row.append(Button(t(language, "mine.cancel"), f"t:x:{ticket.id}"))
        buttons.append(tuple(row))
    buttons.append((Button(t(language, "mine.back"), "t:l:0"),))
    return Message("\n".join(lines), buttons=tuple(buttons))


async def may_see(uow: UnitOfWork, person: Person, ticket: Ticket | None) -> bool:
    """A resident sees their own tickets and the ones they follow; nobody else's."""
    if ticket is None or ticket.id is None or person.id is None:
        return False
    return ticket.reporter_id == person.id or await uow.tickets.is_follower(ticket.id, person.id)


async def pressed(ctx: Context, incoming: Incoming, data: str) -> None:
    """A ticket button ("t:<action>:<ticket id>"), checked against who may see the ticket."""
    action, _, value = data.partition(":")
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        language, notice, reply = person.language, None, None
        ticket = await uow.tickets.get(int(value)) if value.isdigit() and value != "0" else None
        if action == "l":
            reply = await list_message(ctx, uow, person)
        elif not await may_see(uow, person, ticket) or action not in TICKET_ACTIONS:
            notice = "ticket.not_yours"
        else:
            assert ticket is not None
            reply, notice = await TICKET_ACTIONS[action](ctx, uow, person, ticket, now)
        await uow.commit()
    assert incoming.callback_id is not None
    await ctx.chat.answer(incoming.callback_id, t(language, notice) if notice else None)
    if reply is not None and incoming.callback_message_id is not None:
        await ctx.chat.edit(incoming.chat_id, incoming.callback_message_id, reply)


async def on_open(ctx, uow, person, ticket, now):
    """Show the ticket."""
    await restore(uow, person, now)
    return await details(ctx, uow, person, ticket), None


async def on_add(ctx, uow, person, ticket, now):
    """The next message (words, photos, a voice note) goes to the ticket."""
    language = person.language
    if not is_open(ticket.status):
        return await details(ctx, uow, person, ticket), "mine.closed"
    await set_aside(uow, person, ticket, now)
    back = ((Button(t(language, "report.back"), f"t:o:{ticket.id}"),),)
    return Message(t(language, "mine.ask_add", ticket=await card.label_of(uow, ticket)), back), None


async def on_cancel(ctx, uow, person, ticket, now):
    """Ask before cancelling."""
    language = person.language
    if ticket.reporter_id != person.id or not is_open(ticket.status):
        return None, "ticket.not_yours" if ticket.reporter_id != person.id else "mine.closed"
    buttons = (
        (
            Button(t(language, "mine.cancel_yes"), f"t:xx:{ticket.id}"),
            Button(t(language, "mine.cancel_no"), f"t:o:{ticket.id}"),
        ),
    )
    text = t(language, "mine.cancel_ask", ticket=await card.label_of(uow, ticket))
    return Message(text, buttons=buttons), None


async def on_cancel_confirmed(ctx, uow, person, ticket, now):
    """Cancel the ticket: the team and the followers are told."""
    locked = await uow.tickets.get(ticket.id, for_update=True)
    if locked is None or locked.reporter_id != person.id or not is_open(locked.status):
        return None, "mine.closed"
    locked.status = next_status(locked.status, Action.CANCEL)
    locked.next_remind_at, locked.updated_at = None, now
    event = await uow.tickets.record(locked, EventKind.CANCELLED, now, person.id)
    await card.refresh(ctx, uow, locked, f"e{event.id}", now)
    label = await card.label_of(uow, locked)
    notice = Message(t(TEAM_LANGUAGE, "team.cancelled", ticket=label))
    await tell_team(uow, locked, notice, "cancelled", now)
    for follower in await uow.tickets.followers(locked.id):
        await tell(ctx, uow, follower, locked, "mine.cancelled_by_reporter", "cancelled", now)
    return Message(t(person.language, "mine.cancelled", ticket=label)), None


async def on_reopen(ctx, uow, person, ticket, now):
    """The reporter reopens a closed ticket within the window; the next message says why."""
    locked = await uow.tickets.get(ticket.id, for_update=True)
    if locked is None or not verdict.may_reopen(ctx, locked, person, now):
        return await details(ctx, uow, person, ticket), "mine.cannot_reopen"
    await verdict.reopen(ctx, uow, locked, person, "", now)
    await set_aside(uow, person, locked, now)  # what they write next goes to the ticket
    text = t(person.language, "mine.reopened", ticket=await card.label_of(uow, locked))
    return Message(text), None


TicketAction = Callable[[Context, UnitOfWork, Person, Ticket, datetime], Awaitable[Outcome]]
TICKET_ACTIONS: dict[str, TicketAction] = {
    "o": on_open,
    "m": on_add,
    "x": on_cancel,
    "xx": on_cancel_confirmed,
    "ro": on_reopen,
}


async def added(
    ctx: Context, uow: UnitOfWork, person: Person, conversation: Conversation, incoming: Incoming
) -> Message:
    """The resident's addition to the ticket they chose with "add"."""
    ticket_id = int(conversation.data.get("ticket_id") or 0)  # before restore() rewrites the row
    await restore(uow, person, ctx.now())
    return await add_to(ctx, uow, person, ticket_id, incoming)


async def add_to(
    ctx: Context, uow: UnitOfWork, person: Person, ticket_id: int, incoming: Incoming
) -> Message:
    """The resident's words or files for a ticket: kept, logged, and passed on under its card."""
    now, language = ctx.now(), person.language
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if not await may_see(uow, person, ticket) or ticket is None or not is_open(ticket.status):
        return Message(t(language, "mine.closed"))
    files = [f for f in incoming.files if valid_file(f)][:MAX_FILES]
    await keep_files(uow, ticket.id, files, now)
    text = incoming.text.strip()[:MAX_TEXT]
    data = {"text": text, "files": len(files)}
    event = await uow.tickets.record(ticket, EventKind.RESIDENT_MESSAGE, now, person.id, data)
    if ticket.status is Status.WAITING_RESIDENT:
        ticket.status = next_status(ticket.status, Action.RESIDENT_REPLIED)
        await uow.tickets.record(ticket, EventKind.RESIDENT_REPLIED, now, person.id)
        await reclock(ctx, uow, ticket, now)  # the clock runs again: deadlines move by the pause
    ticket.updated_at = now
    label = await card.label_of(uow, ticket)
    words = text or t(TEAM_LANGUAGE, "team.no_text")
    notice = Message(
        t(TEAM_LANGUAGE, "team.added", ticket=label, text=words), photos=photo_ids(files)
    )
    await tell_team(uow, ticket, notice, f"added:{event.id}", now)
    return Message(t(language, "mine.added", ticket=label))


async def from_group(ctx: Context, incoming: Incoming, ticket_id: int) -> None:
    """/start t<id>, the group answer's link: show the ticket, and ask its place if missing."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None or ticket.reporter_id != person.id:
            reply = (
                await details(ctx, uow, person, ticket)
                if await may_see(uow, person, ticket)
                else Message(t(person.language, "ticket.not_yours"))
            )
        elif ticket.building_id is None and ticket.place_note is None and ticket.latitude is None:
            compound = await uow.community.compound_by_id(ticket.compound_id)
            assert compound is not None
            draft = new_draft(now, compound=compound.code, ticket_id=ticket.id, text=ticket.text)
            note = t(person.language, "report.from_group", ticket=await card.label_of(uow, ticket))
            reply = await advance(Turn(ctx, uow, person, key_of(incoming), now), draft, note)
        else:
            reply = await details(ctx, uow, person, ticket)
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, reply)
