"""Payload keys that refer to an earlier outbox row of the same chat, by its dedupe key.

- "edit_of": edit that row's last message (the text-with-buttons part of an album) with this
  row's text and buttons instead of sending; given up if that row was never sent.
- "topic": open a forum topic of this name and send into it. The sender stores the thread id on
  the row as soon as the topic exists, so a retry sends into the same topic.
- "thread_of": send into the forum topic that row went to, if it went to one.
- "reply_of": reply to that row's last message if it was sent; otherwise send without a reply.

The delivery loop sends a chat's rows strictly in order, so the row referred to is sent or given
up before this one is claimed. A key naming a row of another chat counts as unknown.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.delivery.verdicts import GiveUp
from handlers.chat import Message
from storage.models import Outbox

EDIT_OF, TOPIC, THREAD_OF, REPLY_OF = "edit_of", "topic", "thread_of", "reply_of"
KEYS = (EDIT_OF, TOPIC, THREAD_OF, REPLY_OF)
UNREADABLE = (TypeError, ValueError, KeyError, AttributeError)  # from Message.from_payload

Lookup = Callable[[str], Awaitable[Outbox | None]]  # dedupe key -> row (OutboxRepository.by_key)


@dataclass(frozen=True)
class Plan:
    """Send `message` (into a new forum topic named `topic` first, if given), or, when `edit` is
    set, edit that message id with it."""

    message: Message
    edit: int | None = None
    topic: str | None = None

    @property
    def parts(self) -> int:
        """What the rate limiter counts: an edit is one, a new topic one more than the message."""
        if self.edit is not None:
            return 1
        return self.message.parts + (1 if self.topic is not None else 0)


def parts(row: Outbox, message: Message) -> int:
    """A row's parts without looking its references up: the same count its Plan will have."""
    if EDIT_OF in row.payload:
        return 1
    opens_topic = row.payload.get(TOPIC) is not None and row.thread_id is None
    return message.parts + (1 if opens_topic else 0)


async def plan(row: Outbox, message: Message, lookup: Lookup) -> Plan | GiveUp:
    """What delivering the row means once its references are resolved."""
    payload = row.payload
    if not any(key in payload for key in KEYS):
        return Plan(message)

    async def earlier(key: str) -> Outbox | None:
        if payload.get(key) is None:
            return None
        found = await lookup(str(payload[key]))
        return found if found is not None and found.chat_id == row.chat_id else None

    if EDIT_OF in payload:
        target = await earlier(EDIT_OF)
        last = _last_message(target)
        if target is None or last is None:
            return GiveUp("the message to edit was never sent")
        return Plan(_edit(message, target), edit=last)
    topic = str(payload[TOPIC]).strip() if payload.get(TOPIC) is not None else None
    if topic == "":
        return GiveUp("the forum topic to open has no name")
    thread = message.thread_id
    if (source := await earlier(THREAD_OF)) is not None and source.thread_id is not None:
        thread = source.thread_id
    if topic is not None:
        thread = row.thread_id  # opened on an earlier attempt: never open a second one
        topic = topic if thread is None else None
    reply = _last_message(await earlier(REPLY_OF)) if REPLY_OF in payload else message.reply_to
    return Plan(replace(message, thread_id=thread, reply_to=reply), topic=topic)


def _last_message(row: Outbox | None) -> int | None:
    """The id of a sent row's last Telegram message (the text-with-buttons part of an album)."""
    if row is None or row.sent_at is None or not row.message_ids:
        return None
    return int(row.message_ids[-1])


def _edit(message: Message, target: Outbox) -> Message:
    """This row's text and buttons, shaped like the target's last message (a caption or a text)."""
    edited = Message(message.text, message.buttons, thread_id=target.thread_id)
    try:
        before = Message.from_payload(target.payload)
    except UNREADABLE:
        return edited
    if (len(before.photos) == 1 and not before.long_caption) or (
        before.photos and not (before.text or before.buttons)
    ):
        return replace(edited, photos=before.photos[-1:])  # a photo: edit its caption
    if before.document and not before.photos:
        return replace(edited, document=before.document)
    return edited
