"""What a handler types after a card button: a reply, measures and a deadline, a reason, the
"after" photos. The step is kept in the conversation row of (chat, handler), so it survives a
restart; the next message of that handler in that chat answers it."""

from dataclasses import dataclass
from datetime import datetime

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import File, FileKind, Incoming
from handlers.report.draft import MAX_TEXT
from handlers.staff import card, moves
from handlers.staff.dates import QUICK_DAYS, parse_deadline, quick
from handlers.texts import t
from storage.models import Conversation, Person, Ticket
from storage.uow import UnitOfWork
from tickets.labels import parse_ticket_label

PREFIX = "staff."
REPLY, MEASURES, DEADLINE = "staff.reply", "staff.measures", "staff.deadline"
TRANSFER, REJECT, DUPLICATE = "staff.transfer", "staff.reject", "staff.duplicate"
RESOLVE, SKIP = "staff.resolve", "staff.skip"
QUESTIONS = {  # step -> the question's catalog key
    REPLY: "staff.ask_reply",
    MEASURES: "staff.ask_measures",
    DEADLINE: "staff.ask_deadline",
    TRANSFER: "staff.ask_transfer",
    REJECT: "staff.ask_reject",
    DUPLICATE: "staff.ask_duplicate",
    RESOLVE: "staff.ask_resolve",
    SKIP: "staff.ask_skip",
}


def cancel_button(language: str, ticket: Ticket) -> Button:
    """Give up the question; the ticket stays as it was."""
    return Button(t(language, "staff.cancel"), card.data("x", ticket))


def question(person: Person, ticket: Ticket, label: str, step: str, now: datetime, tz) -> Message:
    """The question of a step, addressed to the handler, with its quick choices."""
    language = person.language
    text = t(language, QUESTIONS[step], name=person.name, ticket=label)
    rows: list[tuple[Button, ...]] = []
    if step == DEADLINE:
        local = now.astimezone(tz)
        days = [d for d in QUICK_DAYS if quick(d, local) > local]
        rows.append(
            tuple(
                Button(t(language, f"staff.quick_{d}"), card.data("cd", ticket, str(d)))
                for d in days
            )
        )
    if step == RESOLVE:
        rows.append((Button(t(language, "staff.skip_photo"), card.data("rss", ticket)),))
    rows.append((cancel_button(language, ticket),))
    return Message(text, buttons=tuple(rows))


async def ask(
    ctx: Context,
    uow: UnitOfWork,
    person: Person,
    chat_id: int,
    ticket: Ticket,
    step: str,
    now: datetime,
    **data: object,
) -> Message:
    """Wait for the handler's answer to `step` in this chat; the question to show."""
    await uow.conversations.save(
        chat_id, person.telegram_id, step, {"ticket_id": ticket.id, **data}, now
    )
    return question(person, ticket, await card.label_of(uow, ticket), step, now, ctx.tz)


def waiting(conversation: Conversation | None) -> bool:
    """Whether the conversation is a handler's open question."""
    return conversation is not None and conversation.step.startswith(PREFIX)


@dataclass(frozen=True)
class Said:
    """A handler's message answering the open question about a ticket."""

    ctx: Context
    uow: UnitOfWork
    person: Person
    ticket: Ticket
    key: tuple[int, int]  # the conversation's (chat, handler)
    data: dict
    text: str
    photos: list[File]
    now: datetime


async def answer(
    ctx: Context, uow: UnitOfWork, person: Person, conversation: Conversation, incoming: Incoming
) -> Message:
    """Take the handler's message as the answer to the open question; what to say back."""
    ticket = await uow.tickets.get(int(conversation.data.get("ticket_id") or 0), for_update=True)
    key = (conversation.chat_id, conversation.user_id)
    if ticket is None or conversation.step not in STEPS:
        await uow.conversations.clear(*key)
        return Message(t(person.language, "staff.unknown_ticket"))
    photos = [f for f in incoming.files if f.kind is FileKind.PHOTO]
    text = incoming.text.strip()[:MAX_TEXT]
    said = Said(ctx, uow, person, ticket, key, conversation.data, text, photos, ctx.now())
    return await STEPS[conversation.step](said)


async def again(said: Said, step: str, problem: str | None = None) -> Message:
    """The same question once more, after what was wrong with the answer."""
    label = await card.label_of(said.uow, said.ticket)
    asked = question(said.person, said.ticket, label, step, said.now, said.ctx.tz)
    if problem is None:
        return asked
    return Message(f"{t(said.person.language, problem)}\n{asked.text}", asked.buttons)


async def finish(ctx, uow, person, ticket, key, move) -> Message:
    """Run the move, close the question, and say how it went."""
    await uow.conversations.clear(*key)
    notice, values = await move
    return Message(t(person.language, notice, ticket=await card.label_of(uow, ticket), **values))


async def _done(said: Said, move) -> Message:
    """Finish the question with this move."""
    return await finish(said.ctx, said.uow, said.person, said.ticket, said.key, move)


async def on_reply(said: Said) -> Message:
    """Words and photos for the resident."""
    if not said.text and not said.photos:
        return await again(said, REPLY)
    photos = [p.file_id for p in said.photos]
    return await _done(
        said, moves.reply(said.ctx, said.uow, said.ticket, said.person, said.text, photos, said.now)
    )


async def on_measures(said: Said) -> Message:
    """How the resident was contacted and what is being done; the deadline comes next."""
    if not said.text:
        return await again(said, MEASURES)
    return await ask(
        said.ctx,
        said.uow,
        said.person,
        said.key[0],
        said.ticket,
        DEADLINE,
        said.now,
        measures=said.text,
    )


async def on_deadline(said: Said) -> Message:
    """The committed deadline, typed."""
    deadline = parse_deadline(said.text, said.now.astimezone(said.ctx.tz))
    if deadline is None:
        return await again(said, DEADLINE, "staff.bad_deadline")
    measures = str(said.data.get("measures", ""))
    return await _done(
        said,
        moves.contacted(said.ctx, said.uow, said.ticket, said.person, measures, deadline, said.now),
    )


async def on_resolve(said: Said) -> Message:
    """The "after" photos, with an optional note."""
    if not said.photos:
        return await again(said, RESOLVE, "staff.need_photo")
    return await _done(
        said,
        moves.resolve(
            said.ctx, said.uow, said.ticket, said.person, said.text, said.photos, said.now
        ),
    )


async def on_duplicate(said: Said) -> Message:
    """The number of the ticket this one duplicates."""
    other = await _ticket_named(said.uow, said.ticket, said.text)
    if other is None:
        label = await card.label_of(said.uow, said.ticket)
        return Message(t(said.person.language, "staff.bad_duplicate", ticket=label))
    return await _done(
        said, moves.reject(said.ctx, said.uow, said.ticket, said.person, said.text, other, said.now)
    )


def _reason(step: str, move):
    """A step answered by a reason in words: transfer, reject, resolve without a photo."""

    async def on_reason(said: Said) -> Message:
        if not said.text:
            return await again(said, step)
        return await _done(said, move(said))

    on_reason.__doc__ = f"The reason asked at {step}."
    return on_reason


STEPS = {
    REPLY: on_reply,
    MEASURES: on_measures,
    DEADLINE: on_deadline,
    RESOLVE: on_resolve,
    DUPLICATE: on_duplicate,
    TRANSFER: _reason(
        TRANSFER, lambda s: moves.transfer(s.ctx, s.uow, s.ticket, s.person, s.text, s.now)
    ),
    REJECT: _reason(
        REJECT, lambda s: moves.reject(s.ctx, s.uow, s.ticket, s.person, s.text, None, s.now)
    ),
    SKIP: _reason(
        SKIP, lambda s: moves.resolve(s.ctx, s.uow, s.ticket, s.person, s.text, [], s.now)
    ),
}


async def _ticket_named(uow: UnitOfWork, ticket: Ticket, text: str) -> Ticket | None:
    """Another ticket of the same compound named by its number ("JH-0003", "3")."""
    compound = await uow.community.compound_by_id(ticket.compound_id)
    number = parse_ticket_label(text, compound.code if compound else "")
    other = await uow.tickets.by_number(ticket.compound_id, number) if number else None
    return other if other is not None and other.id != ticket.id else None
