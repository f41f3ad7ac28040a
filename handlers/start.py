"""/start and /lang: the welcome, and the resident's choice of Chinese or English."""

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import remember
from handlers.texts import LANGUAGES, t


def language_buttons(language: str) -> tuple[tuple[Button, ...], ...]:
    """One row: 中文 | English, each switching the language."""
    return (
        (
            Button(t(language, "lang.button_zh"), data="lang:zh-CN"),
            Button(t(language, "lang.button_en"), data="lang:en"),
        ),
    )


def welcome(ctx: Context, name: str, language: str) -> Message:
    """The welcome text with the language buttons under it."""
    text = t(language, "start.welcome", name=name, community=ctx.community.name)
    text = f"{text}\n\n{t(language, 'start.choose_language')}"
    return Message(text, buttons=language_buttons(language))


async def start(ctx: Context, incoming: Incoming) -> None:
    """Greet the person in their language and say how to use the bot."""
    person = await remember(ctx, incoming)
    await ctx.chat.send(incoming.chat_id, welcome(ctx, incoming.sender.name, person.language))


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
