"""Reports in the compound's residents' group: filed from the message, answered briefly."""

import re
from dataclasses import replace

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report import questions
from handlers.report.draft import MAX_FILES, MAX_TEXT, Draft, new_draft, valid_file
from handlers.report.filing import emergency_numbers, file_ticket, over_the_limit, report_from
from handlers.report.intake import Turn, key_of, same_problem, save
from handlers.texts import language_of, t
from storage.models import Person, Ticket
from tickets.labels import Urgency, ticket_label
from tickets.places import guess_place
from tickets.routing import team_for
from triage import classify

OFFERED = "group"  # the step of a group report waiting on "+1 or new?"
_BOT_NAME = re.compile(r"@\w*bot\b", re.IGNORECASE)
_ADDRESS = re.compile(r"^\s*(?:/(?:report|new)(?:@\w+)?|#报修|#report)\s*", re.IGNORECASE)


def words_of(incoming: Incoming) -> str:
    """The report's words without the command, the tag or a bot's @name (bots' names end in bot)."""
    text = _ADDRESS.sub("", incoming.text, count=1)
    return _BOT_NAME.sub("", text).strip()[:MAX_TEXT]


def private_link(ctx: Context, language: str, payload: str, key: str) -> Button:
    """A button that opens the private chat with the bot."""
    return Button(t(language, key), url=ctx.chat.deep_link(payload))


async def report(ctx: Context, incoming: Incoming) -> None:
    """File a ticket from a group message addressed to the bot, or offer to follow the same one."""
    now = ctx.now()
    async with ctx.uow() as uow:
        turn = Turn(ctx, uow, await seen(uow, incoming, now), key_of(incoming), now)
        reply = await answer(turn, incoming)
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, replace(reply, reply_to=incoming.message_id))


async def answer(turn: Turn, incoming: Incoming) -> Message:
    """The group's answer: a refusal, a "+1" offer, or the filed ticket's number."""
    ctx, uow, person, language = turn.ctx, turn.uow, turn.person, turn.language
    compound = await uow.community.compound_of_chat(incoming.chat_id)
    text = words_of(incoming)
    files = [f for f in incoming.files if valid_file(f)][:MAX_FILES]
    if compound is None or (not text and not files):
        link = private_link(ctx, language, "report", "group.open_private")
        key = "group.unknown" if compound is None else "group.empty"
        return Message(t(language, key), buttons=((link,),))
    if await over_the_limit(ctx, uow, person, turn.now):
        return Message(t(language, "group.limit"))
    guess = guess_place(text, ctx.community.compound(compound.code).buildings)
    draft = new_draft(
        turn.now,
        compound=compound.code,
        text=text,
        files=files,
        building=guess.building,
        unit=guess.unit,
        room=guess.room,
        source_message_id=incoming.message_id,
    )
    same = await same_problem(turn, draft, classify(text).category)
    if same is not None:
        await save(uow, turn.key, draft, OFFERED, turn.now)
        return offer(language, compound.code, same, draft)
    report = report_from(draft, incoming.chat_id, "group")
    ticket = await file_ticket(ctx, uow, person, report, turn.now)
    return filed(ctx, person, compound.code, ticket)


def offer(language: str, compound: str, same: Ticket, draft: Draft) -> Message:
    """ "This was reported already (JH-0042): follow it, or report anew?" (no personal details)."""
    label = ticket_label(compound, same.number)
    buttons = (
        (
            Button(
                t(language, "report.follow", ticket=label), questions.data(draft, "plus", same.id)
            ),
        ),
        (Button(t(language, "report.submit_anyway"), questions.data(draft, "send")),),
    )
    return Message(t(language, "group.same_problem", ticket=label), buttons=buttons)


def filed(ctx: Context, person: Person, compound: str, ticket: Ticket) -> Message:
    """The group's answer: the number and a link to the private chat; a warning if never started."""
    language, label = person.language, ticket_label(compound, ticket.number)
    key = "group.filed" if person.started_at is not None else "group.filed_never_started"
    button = private_link(ctx, language, f"t{ticket.id}", "group.continue_private")
    text = t(language, key, ticket=label)
    if ticket.urgency is Urgency.EMERGENCY:
        owner = team_for(ctx.community, compound, ticket.category).code
        text += "\n" + emergency_numbers(ctx, language, ticket, owner)
    return Message(text, buttons=((button,),))


async def setup(ctx: Context, incoming: Incoming) -> None:
    """The set-up answer when the bot joins a group (or is asked /start there)."""
    async with ctx.uow() as uow:
        compound = await uow.community.compound_of_chat(incoming.chat_id)
    language = language_of(incoming.sender.language)
    text = t(language, "group.setup", community=ctx.community.name)
    if compound is None:
        text += "\n\n" + t(language, "group.setup_unknown", chat_id=incoming.chat_id)
    await ctx.chat.send(incoming.chat_id, Message(text))
