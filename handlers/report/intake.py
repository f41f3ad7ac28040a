"""Taking a report in private chat: each message or button moves the draft to its next step."""

from dataclasses import dataclass, replace
from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.incoming import to_json as incoming_to_json
from handlers.people import seen
from handlers.report import draft as steps
from handlers.report import questions, wording
from handlers.report.draft import (
    RESUME_AFTER,
    Added,
    Draft,
    add_message,
    choose_place,
    from_json,
    new_draft,
    next_step,
    to_json,
)
from handlers.report.filing import set_place, triage_of
from handlers.staff import card
from handlers.staff.card import TEAM_LANGUAGE, tell_team
from handlers.texts import DEFAULT_LANGUAGE, t
from storage.models import Building, Conversation, Person, Ticket
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import Category, ticket_label
from tickets.places import guess_place, parse_room

REPORT = "report."  # a draft's conversation steps are "report.<step>"
Key = tuple[int, int]  # (chat id, Telegram user id) of a conversation


def key_of(incoming: Incoming) -> Key:
    """Whose conversation an update belongs to."""
    return incoming.chat_id, incoming.sender.telegram_id


def draft_of(conversation: Conversation | None) -> tuple[Draft | None, str | None]:
    """The draft and its step, if the conversation is a report."""
    if conversation is None or not conversation.step.startswith(REPORT):
        return None, None
    return from_json(conversation.data), conversation.step.removeprefix(REPORT)


async def save(uow: UnitOfWork, key: Key, draft: Draft, step: str, now: datetime) -> None:
    """Keep the draft and its step, so a restart or a pause loses nothing."""
    await uow.conversations.save(*key, REPORT + step, to_json(draft), now)


def is_expired(ctx: Context, conversation: Conversation, now: datetime) -> bool:
    """Whether a draft was left alone for longer than the community allows."""
    return now - conversation.updated_at >= ctx.community.intake.draft_expires_after


async def drop_expired(
    ctx: Context, uow: UnitOfWork, key: Key, draft: Draft, language: str, now: datetime
) -> None:
    """Forget an expired draft and tell the resident (through the outbox, once)."""
    await uow.conversations.clear(*key)
    if key[0] != key[1]:
        return  # a group report left on "+1 or new?": nothing personal to say in the group
    started = wording.moment(language, draft.started_at, ctx.tz)
    about = questions.snippet(draft.text) or questions.attachments(language, draft)
    note = Message(t(language, "report.expired", started=started, text=about))
    await uow.outbox.enqueue(
        key[0], note.to_payload(), f"draft:{key[0]}:{draft.nonce}:expired", now
    )


async def drop_stale_drafts(ctx: Context) -> int:
    """Drop every draft left alone longer than the community allows, each with a note."""
    now = ctx.now()
    async with ctx.uow() as uow:
        cutoff = now - ctx.community.intake.draft_expires_after
        stale = await uow.conversations.older_than(cutoff, REPORT)
        for conversation in stale:
            person = await uow.people.by_telegram_id(conversation.user_id)
            language = person.language if person else DEFAULT_LANGUAGE
            key = (conversation.chat_id, conversation.user_id)
            await drop_expired(ctx, uow, key, from_json(conversation.data), language, now)
        await uow.commit()
    return len(stale)


async def fresh_draft(ctx: Context, uow: UnitOfWork, person: Person, now: datetime) -> Draft:
    """A new draft, with the compound (and the place) the resident gave last time."""
    compounds = ctx.community.compounds
    draft = new_draft(now, compound=compounds[0].code if len(compounds) == 1 else None)
    remembered = person.compound_id
    compound = await uow.community.compound_by_id(remembered) if remembered else None
    if compound is None or compound.code not in {c.code for c in compounds}:
        return draft
    draft.compound = compound.code
    building = await uow.session.get(Building, person.building_id) if person.building_id else None
    if building is not None and building.compound_id == compound.id:
        draft.building, draft.remembered = building.code, True
        draft.unit = int(person.unit) if person.unit and person.unit.isdigit() else None
    return draft


def units_of(ctx: Context, draft: Draft) -> int | None:
    """How many units the chosen building has, from the configuration."""
    if draft.compound is None or draft.building is None:
        return None
    buildings = ctx.community.compound(draft.compound).buildings
    return next((b.units for b in buildings if b.code == draft.building), None)


def with_place_from_words(ctx: Context, draft: Draft) -> Draft:
    """If the words name a building ("3栋2单元"), take it instead of asking (or of last time's)."""
    if draft.compound is None or not draft.text or (draft.has_place and not draft.remembered):
        return draft
    guess = guess_place(draft.text, ctx.community.compound(draft.compound).buildings)
    if guess.building is None:
        return draft
    return replace(choose_place(draft, guess.building, guess.unit), room=guess.room)


@dataclass
class Turn:
    """One step of one resident's report: who, where, the draft, and the time."""

    ctx: Context
    uow: UnitOfWork
    person: Person
    key: Key
    now: datetime

    @property
    def language(self) -> str:
        """The resident's language."""
        return self.person.language


async def advance(turn: Turn, draft: Draft, note: str = "") -> Message:
    """Ask the next missing thing (or show the summary), and keep the draft at that step."""
    ctx = turn.ctx
    draft = with_place_from_words(ctx, draft)
    step = next_step(draft, len(ctx.community.compounds), units_of(ctx, draft))
    if step == steps.SUMMARY and draft.ticket_id is not None:
        return await give_place(turn, draft)
    if step == steps.SUMMARY:
        triage = triage_of(draft.text, draft.category)
        same = await same_problem(turn, draft, triage.category)
        message = questions.summary(ctx, turn.language, draft, triage, same)
        if note:
            message = Message(f"{note}\n\n{message.text}", buttons=message.buttons)
    else:
        message = questions.question(ctx, turn.language, draft, step, note)
    await save(turn.uow, turn.key, draft, step, turn.now)
    return message


async def again(turn: Turn, draft: Draft, step: str, note: str = "") -> Message:
    """The question of the current step once more, after something that did not answer it."""
    if step in (steps.RESUME, steps.RETYPE):
        await save(turn.uow, turn.key, draft, step, turn.now)
        return questions.question(turn.ctx, turn.language, draft, step, note)
    return await advance(turn, draft, note)


async def same_problem(turn: Turn, draft: Draft, category: Category) -> Ticket | None:
    """An open ticket of the same problem in the same building, reported by someone else lately."""
    if draft.compound is None:
        return None
    compound = await turn.uow.community.compound(draft.compound)
    assert compound is not None and compound.id is not None
    building_id = None
    if draft.building is not None:
        building = await turn.uow.community.building(compound.id, draft.building)
        building_id = building.id if building else None
    since = turn.now - turn.ctx.community.intake.same_problem_window
    assert turn.person.id is not None
    return await turn.uow.tickets.same_problem(
        compound.id, building_id, category, since, turn.person.id
    )


def added_note(
    draft: Draft, language: str, added: Added, had_text: bool, incoming: Incoming
) -> str:
    """What the bot took from a message in the middle of a report."""
    notes = []
    if added.files:
        kept = questions.files_text(language, draft.files[-added.files :])
        notes.append(t(language, "report.files_added", files=kept))
    if added.over_limit:
        notes.append(t(language, "report.files_over_limit", count=added.over_limit))
    if incoming.text.strip() and had_text:
        notes.append(t(language, "report.text_added"))
    if added.text_cut:
        notes.append(t(language, "report.text_cut"))
    return "\n".join(notes)


async def take(turn: Turn, conversation: Conversation | None, incoming: Incoming) -> Message:
    """A message with words, files or a location: it starts a draft or joins the open one."""
    draft, step = draft_of(conversation)
    if (
        draft is not None
        and conversation is not None
        and is_expired(turn.ctx, conversation, turn.now)
    ):
        await drop_expired(turn.ctx, turn.uow, turn.key, draft, turn.language, turn.now)
        draft = None
    if draft is None:
        draft, step = await fresh_draft(turn.ctx, turn.uow, turn.person, turn.now), None
    elif step == steps.RESUME or (
        conversation is not None and turn.now - conversation.updated_at >= RESUME_AFTER
    ):
        draft.held.append(incoming_to_json(incoming))
        return await again(turn, draft, steps.RESUME)
    if step == steps.SUMMARY and not incoming.files and (room := parse_room(incoming.text)):
        draft.room = room
        return await advance(turn, draft, t(turn.language, "report.room_added", room=room))
    had_text = bool(draft.text)
    added = add_message(draft, incoming, replace_text=step == steps.RETYPE)
    return await advance(turn, draft, added_note(draft, turn.language, added, had_text, incoming))


async def not_taken(turn: Turn, conversation: Conversation | None, incoming: Incoming) -> Message:
    """A sticker, a poll or a contact: a friendly word, and the open question again if any."""
    kind = "sticker" if incoming.other == "sticker" else "other"
    note = t(turn.language, "received.unsupported", kind=t(turn.language, f"received.kind_{kind}"))
    draft, step = draft_of(conversation)
    if draft is None or step is None or conversation is None:
        return Message(note)
    if is_expired(turn.ctx, conversation, turn.now):
        await drop_expired(turn.ctx, turn.uow, turn.key, draft, turn.language, turn.now)
        return Message(note)
    return await again(turn, draft, step, note)


async def begin(turn: Turn, conversation: Conversation | None) -> Message:
    """/new: the open draft is offered again; otherwise a new one asks its first question."""
    draft, _step = draft_of(conversation)
    if draft is not None and conversation is not None:
        if not is_expired(turn.ctx, conversation, turn.now):
            return await again(turn, draft, steps.RESUME)
        await drop_expired(turn.ctx, turn.uow, turn.key, draft, turn.language, turn.now)
    return await advance(turn, await fresh_draft(turn.ctx, turn.uow, turn.person, turn.now))


async def start_report(ctx: Context, incoming: Incoming) -> None:
    """/new (and /report, and the welcome's button) in private chat."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        turn = Turn(ctx, uow, person, key_of(incoming), now)
        reply = await begin(turn, await uow.conversations.get(*turn.key, for_update=True))
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, reply)


async def cancel(ctx: Context, incoming: Incoming) -> None:
    """/cancel: forget the open draft."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        draft, _ = draft_of(await uow.conversations.get(*key_of(incoming)))
        await uow.conversations.clear(*key_of(incoming))
        await uow.commit()
    key = "report.dropped" if draft is not None else "report.nothing_to_cancel"
    await ctx.chat.send(incoming.chat_id, Message(t(person.language, key)))


async def give_place(turn: Turn, draft: Draft) -> Message:
    """The place of a ticket filed in the group, given now in private chat; the team is told."""
    uow, language = turn.uow, turn.language
    ticket = await uow.tickets.get(draft.ticket_id) if draft.ticket_id else None
    await uow.conversations.clear(*turn.key)
    if ticket is None or ticket.reporter_id != turn.person.id or draft.compound is None:
        return Message(t(language, "ticket.not_yours"))
    await set_place(uow, ticket, turn.person, draft, turn.now)
    where = wording.place(language, turn.ctx.community, draft)
    event = await uow.tickets.record(
        ticket, EventKind.PLACE_GIVEN, turn.now, turn.person.id, {"place": where}
    )
    await card.refresh(turn.ctx, uow, ticket, f"e{event.id}", turn.now)
    label = ticket_label(draft.compound, ticket.number)
    team_where = wording.place(TEAM_LANGUAGE, turn.ctx.community, draft)
    notice = Message(t(TEAM_LANGUAGE, "team.place_given", ticket=label, place=team_where))
    await tell_team(uow, ticket, notice, "place", turn.now)
    return Message(t(language, "report.place_given", ticket=label, place=where))
