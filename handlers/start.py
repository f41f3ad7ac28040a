"""/start and /lang: the welcome, the way in to a report, and the choice of Chinese or English."""

from handlers.chat import Button, Keyboard, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import remember
from handlers.report import intake, mine
from handlers.staff import invites
from handlers.texts import LANGUAGES, t


def language_buttons(language: str) -> Keyboard:
    """One row: 中文 | English, each switching the language."""
    return (
        (
            Button(t(language, "lang.button_zh"), data="lang:zh-CN"),
            Button(t(language, "lang.button_en"), data="lang:en"),
        ),
    )


def welcome(ctx: Context, name: str, language: str) -> Message:
    """The welcome text with "report a problem", "my tickets" and the language buttons."""
    text = t(language, "start.welcome", name=name, community=ctx.community.name)
    text = f"{text}\n\n{t(language, 'start.choose_language')}"
    actions = (
        Button(t(language, "start.report"), data="go:new"),
        Button(t(language, "start.mine"), data="go:my"),
    )
    return Message(text, buttons=(actions, *language_buttons(language)))


async def start(ctx: Context, incoming: Incoming) -> None:
    """Greet the person; a deep link ("report", "t<ticket id>", "i<invite token>") goes where it
    points."""
    payload = incoming.argument
    if payload == "report":
        await intake.start_report(ctx, incoming)
    elif payload.startswith("t") and payload[1:].isdigit():
        await mine.from_group(ctx, incoming, int(payload[1:]))
    elif payload.startswith("i") and len(payload) > 1:
        await invites.accept(ctx, incoming, payload[1:])
    else:
        person = await remember(ctx, incoming)
        await ctx.chat.send(incoming.chat_id, welcome(ctx, incoming.sender.name, person.language))


async def go(ctx: Context, incoming: Incoming, where: str) -> None:
    """The welcome's buttons: start a report, or list my tickets."""
    assert incoming.callback_id is not None
    await ctx.chat.answer(incoming.callback_id)
    if where == "my":
        await mine.show_list(ctx, incoming)
    else:
        await intake.start_report(ctx, incoming)


async def choose_language(ctx: Context, incoming: Incoming) -> None:
    """Offer the two languages."""
    person = await remember(ctx, incoming)
    message = Message(t(person.language, "start.choose_language"), buttons=language_buttons("en"))
    await ctx.chat.send(incoming.chat_id, message)


async def language_chosen(ctx: Context, incoming: Incoming, language: str) -> None:
    """Keep the chosen language, confirm it, and redraw the welcome in it."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    await remember(ctx, incoming, language=language)
    assert incoming.callback_id is not None
    await ctx.chat.answer(incoming.callback_id, t(language, "lang.chosen"))
    if incoming.callback_message_id is not None:
        redrawn = welcome(ctx, incoming.sender.name, language)
        await ctx.chat.edit(incoming.chat_id, incoming.callback_message_id, redrawn)
