"""A card's buttons ("h:<action>:<ticket id>[:<choice>]"): checked against the database, then
a move, a menu or a question. Only the id and the action come from the button."""

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report import questions
from handlers.retriage import retriage
from handlers.staff import card, moves, prompts
from handlers.staff.auth import may_handle
from handlers.staff.dates import QUICK_DAYS, quick
from handlers.texts import t
from tickets.labels import Category, Urgency
from tickets.lifecycle import Action, is_open, next_status

Outcome = tuple[Message | None, str | None, dict]  # a message to send, a notice and its values


async def pressed(ctx: Context, incoming: Incoming, data: str) -> None:
    """Check who pressed what, act, answer the press, and send the menu or question if any."""
    action, _, rest = data.partition(":")
    value, _, choice = rest.partition(":")
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        ticket = await uow.tickets.get(int(value), for_update=True) if value.isdigit() else None
        message, notice, values = await _checked(
            ctx, uow, person, incoming, ticket, action, choice, now
        )
        await uow.commit()
    assert incoming.callback_id is not None
    text = t(person.language, notice, **values) if notice else None
    await ctx.chat.answer(incoming.callback_id, text, alert=notice in ALERTS)
    if message is not None:
        reply_to = incoming.callback_message_id
        await ctx.chat.send(
            incoming.chat_id,
            Message(message.text, message.buttons, reply_to=reply_to, thread_id=incoming.thread_id),
        )


ALERTS = frozenset({"staff.not_allowed", "staff.moved", "staff.taken_by"})


async def _checked(ctx, uow, person, incoming, ticket, action, choice, now) -> Outcome:
    """Refuse unknown tickets, stale cards and strangers; otherwise act."""
    if ticket is None or action not in ACTIONS:
        return None, "staff.unknown_ticket", {}
    if not incoming.is_private:
        here = await uow.members.team_of_chat(incoming.chat_id)
        if here is not None and here.id != ticket.team_id:
            team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
            return None, "staff.moved", {"team": team.name if team else "?"}
    if not await may_handle(ctx, uow, person, ticket):
        return None, "staff.not_allowed", {}
    return await ACTIONS[action](ctx, uow, person, incoming, ticket, choice, now)


async def on_take(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """接单, at once."""
    notice, values = await moves.take(ctx, uow, ticket, person, now)
    return None, notice, values


def _asking(step: str):
    """A button that asks the handler a question (`prompts`), while the ticket is open."""

    async def ask(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
        if not is_open(ticket.status) and step != prompts.REPLY:
            return None, "staff.not_open", {}
        message = await prompts.ask(ctx, uow, person, incoming.chat_id, ticket, step, now)
        return message, None, {}

    ask.__doc__ = f"Ask the handler for {step}."
    return ask


async def on_transfer(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """Ask the reason, if there is a team of the other route to take it."""
    if await moves.transfer_target(ctx, uow, ticket) is None:
        return None, "staff.no_other_team", {}
    return await _asking(prompts.TRANSFER)(ctx, uow, person, incoming, ticket, choice, now)


async def on_contacted(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """Ask the measures, for a difficult ticket."""
    if ticket.urgency is not Urgency.DIFFICULT:
        return None, "staff.not_difficult", {}
    return await _asking(prompts.MEASURES)(ctx, uow, person, incoming, ticket, choice, now)


async def on_deadline(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """A quick choice of the committed deadline, while the measures are known."""
    key = (incoming.chat_id, person.telegram_id)
    conversation = await uow.conversations.get(*key, for_update=True)
    if (
        conversation is None
        or conversation.step != prompts.DEADLINE
        or not choice.isdigit()
        or int(choice) not in QUICK_DAYS
    ):
        return None, "staff.stale", {}
    if conversation.data.get("ticket_id") != ticket.id:
        return None, "staff.stale", {}
    deadline = quick(int(choice), now.astimezone(ctx.tz))
    measures = str(conversation.data.get("measures", ""))
    move = moves.contacted(ctx, uow, ticket, person, measures, deadline, now)
    return await prompts.finish(ctx, uow, person, ticket, key, move), None, {}


async def on_cancel(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """Drop the open question."""
    await uow.conversations.clear(incoming.chat_id, person.telegram_id)
    return None, "staff.cancelled", {}


async def on_retriage_menu(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """The four levels and fourteen categories, the current ones marked."""
    if not is_open(ticket.status):
        return None, "staff.not_open", {}
    language = person.language
    levels = tuple(
        Button(
            ("· " if u is ticket.urgency else "") + t(language, f"urgency.{u.value}"),
            card.data("ru", ticket, u.value),
        )
        for u in Urgency
    )
    kinds = [
        Button(
            ("· " if c is ticket.category else "") + t(language, f"category.{c.value}"),
            card.data("rc", ticket, c.value),
        )
        for c in Category
    ]
    rows = (levels, *questions.rows(kinds, 3), (prompts.cancel_button(language, ticket),))
    text = t(language, "staff.retriage_menu", ticket=await card.label_of(uow, ticket))
    return Message(text, buttons=rows), None, {}


async def on_retriage(
    ctx, uow, person, incoming, ticket, choice, now, *, urgency=None, category=None
) -> Outcome:
    """Change the level or the category; a new category may move the ticket to the other team."""
    if not is_open(ticket.status):
        return None, "staff.not_open", {}
    team_before = ticket.team_id
    correction = await retriage(
        ctx, uow, ticket, urgency or ticket.urgency, category or ticket.category, person.id, now
    )
    if correction is None:
        return None, "staff.unchanged", {}
    if ticket.team_id != team_before:
        ticket.status, ticket.assignee_id = next_status(ticket.status, Action.TRANSFER), None
        await moves.assign_owner(ctx, uow, ticket, now)
        team = await uow.community.team_by_id(ticket.team_id)
        await card.post(ctx, uow, ticket, team, now)
    await card.refresh(ctx, uow, ticket, f"c{correction.id}", now)
    return None, "staff.retriaged", {}


async def on_urgency(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """A level chosen in the re-triage menu."""
    if choice not in {u.value for u in Urgency}:
        return None, "staff.stale", {}
    return await on_retriage(
        ctx, uow, person, incoming, ticket, choice, now, urgency=Urgency(choice)
    )


async def on_category(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """A category chosen in the re-triage menu."""
    if choice not in {c.value for c in Category}:
        return None, "staff.stale", {}
    return await on_retriage(
        ctx, uow, person, incoming, ticket, choice, now, category=Category(choice)
    )


async def on_reject_menu(ctx, uow, person, incoming, ticket, choice, now) -> Outcome:
    """Not ours, or a duplicate."""
    if not is_open(ticket.status):
        return None, "staff.not_open", {}
    language = person.language
    rows = (
        (Button(t(language, "staff.reject_remit"), card.data("rjo", ticket)),),
        (Button(t(language, "staff.reject_duplicate"), card.data("rjd", ticket)),),
        (prompts.cancel_button(language, ticket),),
    )
    text = t(language, "staff.reject_menu", ticket=await card.label_of(uow, ticket))
    return Message(text, buttons=rows), None, {}


ACTIONS = {
    "take": on_take,
    "rp": _asking(prompts.REPLY),
    "ct": on_contacted,
    "cd": on_deadline,
    "tr": on_transfer,
    "rt": on_retriage_menu,
    "ru": on_urgency,
    "rc": on_category,
    "rj": on_reject_menu,
    "rjo": _asking(prompts.REJECT),
    "rjd": _asking(prompts.DUPLICATE),
    "rs": _asking(prompts.RESOLVE),
    "rss": _asking(prompts.SKIP),
    "x": on_cancel,
}
