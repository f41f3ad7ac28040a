"""An unfinished report: what the resident has told so far, and the one question still to ask."""

import re
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from handlers.incoming import File, Incoming, file_from_json

MAX_FILES = 10  # at most this many attachments per report
MAX_TEXT = 4000  # characters of description kept; a ticket card must fit Telegram's 4096
RESUME_AFTER = timedelta(minutes=30)  # a message after this long asks before joining the draft
_FILE_ID = re.compile(r"^[A-Za-z0-9_-]{16,255}$")
_UNIQUE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# The named steps of the conversation, in the order `next_step` asks them (see flow.md).
COMPOUND, DESCRIBE, WHERE, UNIT, SUMMARY, RETYPE, RESUME = (
    "compound",
    "describe",
    "where",
    "unit",
    "summary",
    "retype",
    "resume",
)


@dataclass
class Draft:
    """What the resident has said so far; kept as JSON in the conversation row."""

    nonce: str  # in every button of this draft, so a button of an older draft is recognised
    started_at: datetime
    text: str = ""
    files: list[File] = field(default_factory=list)
    compound: str | None = None  # compound code
    building: str | None = None  # building code
    unit: int | None = None  # 0: the resident does not know
    room: str | None = None
    common_area: bool = False
    location: tuple[float, float] | None = None
    skip_description: bool = False  # the photos or the voice note say it all
    remembered: bool = False  # the place is the resident's last one, not said this time
    source_message_id: int | None = None  # the group message a group report came from
    ticket_id: int | None = None  # set when only the place of a ticket filed in a group is asked
    held: list[dict[str, Any]] = field(default_factory=list)  # messages waiting on "resume?"
    category: str | None = None  # the resident's answer when the bot was unsure what this is

    @property
    def has_place(self) -> bool:
        """Whether the resident said where: a building, the common area or a shared location."""
        return self.building is not None or self.common_area or self.location is not None


def new_draft(now: datetime, **values: Any) -> Draft:
    """A fresh draft with its own nonce."""
    return Draft(nonce=secrets.token_hex(4), started_at=now, **values)


def to_json(draft: Draft) -> dict[str, Any]:
    """The draft as JSON for the conversation row."""
    data = asdict(draft)
    data["started_at"] = draft.started_at.isoformat()
    return data


def from_json(data: dict[str, Any]) -> Draft:
    """The draft `to_json` stored."""
    values = dict(data)
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    values["files"] = [file_from_json(f) for f in values.get("files", ())]
    if values.get("location") is not None:
        values["location"] = tuple(values["location"])
    return Draft(**values)


def valid_file(file: File) -> bool:
    """Whether a file id looks like Telegram's, before it is stored and later sent back."""
    return bool(_FILE_ID.match(file.file_id) and _UNIQUE_ID.match(file.file_unique_id))


@dataclass(frozen=True)
class Added:
    """What merging a message did: files kept, files refused for the limit, text cut short."""

    files: int = 0
    over_limit: int = 0
    text_cut: bool = False


def add_message(draft: Draft, incoming: Incoming, *, replace_text: bool = False) -> Added:
    """Fold one message (or album) into the draft: its words, its files, its location."""
    files = [f for f in incoming.files if valid_file(f)]
    known = {f.file_unique_id for f in draft.files}
    files = [f for f in files if f.file_unique_id not in known]
    room = MAX_FILES - len(draft.files)
    draft.files.extend(files[:room])
    text_cut = False
    words = incoming.text.strip()
    if words:
        joined = words if replace_text or not draft.text else f"{draft.text}\n{words}"
        text_cut = len(joined) > MAX_TEXT
        draft.text = joined[:MAX_TEXT]
        draft.category = None  # new words: the bot reads them afresh, and asks again if unsure
    if incoming.location is not None:
        draft.location = incoming.location
    return Added(min(len(files), max(room, 0)), max(len(files) - max(room, 0), 0), text_cut)


def next_step(draft: Draft, compounds: int, units: int | None) -> str:
    """The one thing still missing, in order; `units` is the chosen building's unit count."""
    if draft.compound is None and compounds > 1:
        return COMPOUND
    if draft.ticket_id is None and not draft.text and not draft.skip_description:
        return DESCRIBE
    if not draft.has_place:
        return WHERE
    if draft.building is not None and draft.unit is None and (units or 1) > 1:
        return UNIT
    return SUMMARY


def choose_place(
    draft: Draft, building: str | None, unit: int | None = None, common_area: bool = False
) -> Draft:
    """The draft with a new place; choosing one forgets the other kinds of place."""
    return replace(
        draft,
        building=building,
        unit=unit,
        common_area=common_area,
        location=None,
        room=None,
        remembered=False,
    )
