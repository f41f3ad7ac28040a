"""Helpers for the handlers' scenarios: members seeded in the database, cards found in chats."""

from datetime import UTC, datetime
from typing import Any

from bot.sandbox import Sandbox, SentMessage
from storage.models import MemberRole, Ticket
from tests.scenarios.intake_support import current, last, queued, tap

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Chengdu


async def member(db: Any, user: Any, team: str, role: str = "handler") -> int:
    """Make a sandbox user a member of a team (as an invite would) who has started the bot."""
    async with db.uow() as uow:
        person = await uow.people.seen(user.id, user.first_name, NOW)
        person.started_at = NOW
        found = await uow.community.team(team)
        assert found is not None and found.id is not None and person.id is not None
        await uow.members.join(found.id, person.id, MemberRole(role), NOW)
        await uow.commit()
        return person.id


async def started(sandbox: Sandbox, user: Any) -> None:
    """The user opens a private chat with the bot (so it may write to them first)."""
    count = len(sandbox.messages(user.id))
    await user.send("/start")
    await last(sandbox, user.id, count + 1)


def _card(sandbox: Sandbox, chat: int, label: str) -> SentMessage | None:
    """The newest card of ticket `label` in a chat, as it reads now, if there is one."""
    marks = "🚨🟠🟡🆕✅✔↩ "
    cards = [
        m
        for m in sandbox.messages(chat)
        if (m.text or "").lstrip(marks).startswith(label)
        and "\n状态：" in (m.text or "")
        and "处理记录" not in (m.text or "")  # /ticket's answer starts like a card
    ]
    return current(sandbox, chat, cards[-1].message_id) if cards else None


def card(sandbox: Sandbox, chat: int, label: str) -> SentMessage:
    """The newest message in a chat that is the card of ticket `label` (it has the buttons)."""
    found = _card(sandbox, chat, label)
    assert found, f"no card of {label} in chat {chat}: {[m.text for m in sandbox.messages(chat)]}"
    return found


async def card_shows(
    sandbox: Sandbox, chat: int, label: str, words: str = "", seconds: float = 10
) -> SentMessage:
    """Wait until the card of `label` is there and (edited in place) contains `words`."""

    def shows() -> bool:
        found = _card(sandbox, chat, label)
        return found is not None and words in (found.text or "")

    try:
        await sandbox.wait_until(shows, seconds)
    except TimeoutError:
        texts = [m.text for m in sandbox.messages(chat)]
        raise AssertionError(f"the card of {label} never showed {words!r}: {texts}") from None
    return card(sandbox, chat, label)


async def press(sandbox: Sandbox, user: Any, message: SentMessage, text: str, chat: Any = None):
    """Press a button in a group (or private chat): the answer and the message after its edit."""
    return await tap(sandbox, user, message, text, chat=chat)


async def ticket_row(db: Any, ticket_id: int) -> Ticket:
    """The ticket as it is in the database now."""
    async with db.uow() as uow:
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        uow.session.expunge_all()
        return ticket


async def said(sandbox: Sandbox, chat: int, words: str, seconds: float = 10) -> SentMessage:
    """Wait for the bot's newest message in `chat` that contains `words`."""

    def found() -> SentMessage | None:
        hits = [m for m in sandbox.messages(chat) if words in (m.text or "")]
        return hits[-1] if hits else None

    try:
        await sandbox.wait_until(found, seconds)
    except TimeoutError:
        texts = [m.text for m in sandbox.messages(chat)]
        raise AssertionError(f"no message with {words!r} in chat {chat}: {texts}") from None
    message = found()
    assert message is not None
    return current(sandbox, chat, message.message_id)


async def settled(db: Any, chat: int, seconds: float = 10) -> None:
    """Wait until every queued message to `chat` is marked sent (its message ids are known), as
    a person would take a moment before answering a message that just arrived."""
    import asyncio

    for _ in range(int(seconds / 0.05)):
        rows = await queued(db, chat)
        if all(row.sent_at is not None or row.failed_at is not None for row in rows):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"messages to {chat} still pending after {seconds} s")


def data_of(message: SentMessage, text: str) -> str:
    """The callback data of the button labelled `text` (to press it later, after it is gone)."""
    found = [b.data for row in message.buttons for b in row if b.text == text and b.data]
    assert found, f"no button {text!r} on {message.text!r}: {message.button_texts()}"
    return found[0]


async def press_stale(sandbox: Sandbox, user: Any, message: SentMessage, data: str) -> dict:
    """Press a button an edit has since taken away, as a phone that has not caught up with the
    edit still shows it: the bot gets the old callback data. The bot's answer."""
    import secrets

    from bot.sandbox.objects import chat_instance, user_json

    world = sandbox.world
    chat = world.lookup(message.chat_id)
    stored = chat.live(message.message_id) if chat else None
    assert chat is not None and stored is not None, "no such message"
    query_id = str(secrets.randbits(62))
    world.queries[query_id] = {"chat_id": chat.id, "message_id": message.message_id}
    payload = {
        "id": query_id,
        "from": user_json(user.person),
        "message": dict(stored.data),
        "chat_instance": chat_instance(chat.id, world.bot.id),
        "data": data,
    }
    world.updates.push("callback_query", payload)
    return await sandbox.wait_for_answer(query_id, timeout=10)


async def shows(
    sandbox: Sandbox, message: SentMessage, words: str, seconds: float = 10
) -> SentMessage:
    """Wait until this bot message (edited in place) contains `words`; it as it reads then."""
    try:
        await sandbox.wait_until(
            lambda: words in (current(sandbox, message.chat_id, message.message_id).text or ""),
            seconds,
        )
    except TimeoutError:
        now = current(sandbox, message.chat_id, message.message_id).text
        raise AssertionError(
            f"message {message.message_id} never showed {words!r}: {now!r}"
        ) from None
    return current(sandbox, message.chat_id, message.message_id)


async def event_log(db: Any, ticket_id: int) -> list[Any]:
    """A ticket's audit log as rows (kind, actor, data), oldest first."""
    from sqlmodel import col, select

    from storage.models import TicketEvent

    async with db.uow() as uow:
        query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
        rows = list((await uow.session.exec(query.order_by(col(TicketEvent.id)))).all())
        uow.session.expunge_all()
        return rows


async def team_id(db: Any, code: str) -> int:
    """The database id of a team."""
    async with db.uow() as uow:
        team = await uow.community.team(code)
        assert team is not None and team.id is not None
        return team.id
