"""The buttons of a report: each press is checked against the resident's own open draft."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.incoming import from_json as incoming_from_json
from handlers.people import seen
from handlers.report import draft as steps
from handlers.report import group, questions, wording
from handlers.report.draft import Draft, add_message, choose_place, next_step
from handlers.report.filing import (
    emergency_numbers,
    file_ticket,
    keep_files,
    over_the_limit,
    photo_ids,
    report_from,
)
from handlers.report.intake import (
    Turn,
    advance,
    draft_of,
    drop_expired,
    fresh_draft,
    is_expired,
    key_of,
    save,
    units_of,
)
from handlers.staff.card import TEAM_LANGUAGE, tell_team
from handlers.texts import t
from storage.models import Ticket
from tickets.events import EventKind
from tickets.labels import Category, Urgency, ticket_label
from tickets.lifecycle import is_open
from tickets.routing import team_for


@dataclass
class Press:
    """One press of a draft's button: the turn, the draft, and the button's value."""

    turn: Turn
    draft: Draft
    value: str


Outcome = tuple[Message | None, str | None]  # the message redrawn in place, a short notice
Action = Callable[[Press], Awaitable[Outcome]]


async def pressed(ctx: Context, incoming: Incoming, data: str) -> None:
    """A draft button ("r:<nonce>:<action>[:<value>]"): act if it is this resident's open draft."""
    nonce, _, rest = data.partition(":")
    action, _, value = rest.partition(":")
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        turn = Turn(ctx, uow, person, key_of(incoming), now)
        conversation = await uow.conversations.get(*turn.key, for_update=True)
        draft, _ = draft_of(conversation)
        reply: Message | None = None
        if draft is None or draft.nonce != nonce or action not in ACTIONS:
            mine = incoming.chat_id == incoming.sender.telegram_id
            notice: str | None = "report.stale" if mine else "button.not_yours"
        elif conversation is not None and is_expired(ctx, conversation, now):
            await drop_expired(ctx, uow, turn.key, draft, person.language, now)
            notice = "report.stale"
        else:
            reply, notice = await ACTIONS[action](Press(turn, draft, value))
        await uow.commit()
    assert incoming.callback_id is not None
    await ctx.chat.answer(incoming.callback_id, t(person.language, notice) if notice else None)
    if reply is not None and incoming.callback_message_id is not None:
        await ctx.chat.edit(incoming.chat_id, incoming.callback_message_id, reply)


async def on_compound(press: Press) -> Outcome:
    """A compound was chosen."""
    if press.value not in {c.code for c in press.turn.ctx.community.compounds}:
        return None, "report.stale"
    draft = choose_place(press.draft, None)
    draft.compound = press.value
    return await advance(press.turn, draft), None


async def on_building(press: Press) -> Outcome:
    """A building was chosen: its units are asked next, if it has several."""
    draft = press.draft
    if draft.compound is None:
        return None, "report.stale"
    codes = {b.code for b in press.turn.ctx.community.compound(draft.compound).buildings}
    if press.value not in codes:
        return None, "report.stale"
    return await advance(press.turn, choose_place(draft, press.value)), None


async def on_unit(press: Press) -> Outcome:
    """A unit was chosen (0: not sure)."""
    units = units_of(press.turn.ctx, press.draft)
    if units is None or not press.value.isdigit() or int(press.value) > units:
        return None, "report.stale"
    press.draft.unit = int(press.value)
    return await advance(press.turn, press.draft), None


async def on_common_area(press: Press) -> Outcome:
    """The problem is in the compound's common parts."""
    return await advance(press.turn, choose_place(press.draft, None, common_area=True)), None


async def on_skip_description(press: Press) -> Outcome:
    """The photos (or the voice note) say it all."""
    press.draft.skip_description = True
    return await advance(press.turn, press.draft), None


async def on_edit(press: Press) -> Outcome:
    """What can be changed."""
    return questions.edit_menu(press.turn.language, press.draft), None


async def on_category(press: Press) -> Outcome:
    """The resident said what the report is about, when the bot was unsure."""
    if press.value not in {c.value for c in Category}:
        return None, "report.stale"
    press.draft.category = press.value
    return await advance(press.turn, press.draft), None


async def on_retype(press: Press) -> Outcome:
    """The next words replace the description."""
    turn = press.turn
    await save(turn.uow, turn.key, press.draft, steps.RETYPE, turn.now)
    return questions.question(turn.ctx, turn.language, press.draft, steps.RETYPE), None


async def on_change_place(press: Press) -> Outcome:
    """Ask the place again."""
    return await advance(press.turn, choose_place(press.draft, None)), None


async def on_drop_files(press: Press) -> Outcome:
    """Remove every attachment."""
    press.draft.files = []
    return await advance(press.turn, press.draft), None


async def on_back(press: Press) -> Outcome:
    """Back to where the report stands."""
    return await advance(press.turn, press.draft), None


async def on_drop(press: Press) -> Outcome:
    """Cancel the report."""
    await press.turn.uow.conversations.clear(*press.turn.key)
    return Message(t(press.turn.language, "report.dropped")), None


async def on_resume(press: Press) -> Outcome:
    """Go on with the old draft, with the messages that came meanwhile."""
    draft, held = press.draft, press.draft.held
    draft.held = []
    for message in held:
        add_message(draft, incoming_from_json(message))
    return await advance(press.turn, draft), None


async def on_start_anew(press: Press) -> Outcome:
    """Drop the old draft; the messages that came meanwhile start a new one."""
    turn = press.turn
    draft = await fresh_draft(turn.ctx, turn.uow, turn.person, turn.now)
    for message in press.draft.held:
        add_message(draft, incoming_from_json(message))
    return await advance(turn, draft), None


async def on_submit(press: Press) -> Outcome:
    """File the ticket, unless something is missing or the resident reached the limit."""
    turn, draft = press.turn, press.draft
    ctx, uow = turn.ctx, turn.uow
    if turn.key[0] != turn.key[1]:
        return await submit_in_group(press)
    if next_step(draft, len(ctx.community.compounds), units_of(ctx, draft)) != steps.SUMMARY:
        return await advance(turn, draft), "report.incomplete"
    assert draft.compound is not None
    if await over_the_limit(ctx, uow, turn.person, turn.now):
        intake = ctx.community.intake
        window = wording.duration(turn.language, intake.reports_window)
        note = t(turn.language, "report.limit", count=intake.reports_per_resident, window=window)
        return await advance(turn, draft, note), None
    if not await uow.conversations.clear(*turn.key):
        return None, "report.stale"  # pressed twice at once: the other press files it
    report = report_from(draft, turn.key[0], "private")
    ticket = await file_ticket(ctx, uow, turn.person, report, turn.now)
    return filed(turn, draft.compound, ticket), "report.submitted"


async def submit_in_group(press: Press) -> Outcome:
    """A group report filed as it is, after the resident chose not to follow the same ticket."""
    turn, draft = press.turn, press.draft
    if draft.compound is None or not await turn.uow.conversations.clear(*turn.key):
        return None, "report.stale"
    report = report_from(draft, turn.key[0], "group")
    ticket = await file_ticket(turn.ctx, turn.uow, turn.person, report, turn.now)
    return group.filed(turn.ctx, turn.person, draft.compound, ticket), "report.submitted"


def filed(turn: Turn, compound: str, ticket: Ticket) -> Message:
    """The resident's confirmation: number, what happens next, the deadlines."""
    language, ctx = turn.language, turn.ctx
    lines = [
        t(language, "report.filed", ticket=ticket_label(compound, ticket.number)),
        wording.promise(language, ctx.community.sla, ticket.urgency, ticket.route),
    ]
    if ticket.first_response_due is not None:
        lines.append(
            wording.deadlines(language, ticket.first_response_due, ticket.resolution_due, ctx.tz)
        )
    lines.append(t(language, "report.follow_up"))
    if ticket.urgency is Urgency.EMERGENCY:
        owner = team_for(ctx.community, compound, ticket.category).code
        lines.insert(1, emergency_numbers(ctx, language, ticket, owner))
    return Message("\n".join(lines))


async def on_follow(press: Press) -> Outcome:
    """Follow the open ticket of the same problem ("+1") instead of filing a new one."""
    turn, draft = press.turn, press.draft
    uow = turn.uow
    ticket = await uow.tickets.get(int(press.value)) if press.value.isdigit() else None
    compound = await uow.community.compound(draft.compound) if draft.compound else None
    if (
        ticket is None
        or compound is None
        or ticket.compound_id != compound.id
        or not is_open(ticket.status)
        or ticket.reporter_id == turn.person.id
    ):
        return None, "report.stale"
    assert turn.person.id is not None and ticket.id is not None and draft.compound is not None
    await uow.conversations.clear(*turn.key)
    label = ticket_label(draft.compound, ticket.number)
    if await uow.tickets.follow(ticket.id, turn.person.id, turn.now):
        data = {"text": draft.text, "files": len(draft.files)}
        await uow.tickets.record(ticket, EventKind.FOLLOWED, turn.now, turn.person.id, data)
        await keep_files(uow, ticket.id, draft.files, turn.now)
        count = len(await uow.tickets.followers(ticket.id)) + 1
        text = t(TEAM_LANGUAGE, "team.followed", ticket=label, count=count, text=draft.text or "-")
        notice = Message(text, photos=photo_ids(draft.files))
        await tell_team(uow, ticket, notice, f"follow:{turn.person.id}", turn.now)
    return Message(t(turn.language, "report.following", ticket=label)), "report.submitted"


ACTIONS: dict[str, Action] = {
    "c": on_compound,
    "b": on_building,
    "u": on_unit,
    "common": on_common_area,
    "skip": on_skip_description,
    "edit": on_edit,
    "et": on_retype,
    "ep": on_change_place,
    "ef": on_drop_files,
    "back": on_back,
    "drop": on_drop,
    "go": on_resume,
    "anew": on_start_anew,
    "send": on_submit,
    "plus": on_follow,
    "cat": on_category,
}
