"""The one message the bot shows at each step of a report, with its buttons."""

from collections.abc import Sequence

from handlers.chat import Button, Keyboard, Message
from handlers.context import Context
from handlers.incoming import File, FileKind
from handlers.report import draft as steps
from handlers.report import wording
from handlers.report.draft import Draft
from handlers.texts import t
from storage.models import Ticket
from tickets.labels import Category, ticket_label
from triage import Triage

PER_ROW = 4
SNIPPET = 30  # characters of the description quoted back


def data(draft: Draft, *parts: object) -> str:
    """Callback data of a draft's button: "r:<nonce>:<action>[:<value>]"."""
    return ":".join(["r", draft.nonce, *(str(p) for p in parts)])


def rows(buttons: list[Button], per_row: int = PER_ROW) -> Keyboard:
    """Buttons laid out a few to a row, for a small phone."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def cancel_row(language: str, draft: Draft) -> tuple[Button, ...]:
    """The way out, under every question."""
    return (Button(t(language, "report.cancel"), data(draft, "drop")),)


def snippet(text: str) -> str:
    """The first words of a description, to recognise it."""
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def attachments(language: str, draft: Draft) -> str:
    """ "3张照片、1条语音" (empty if none)."""
    return files_text(language, draft.files)


def files_text(language: str, files: Sequence[File]) -> str:
    """Files counted by kind, in words: "3张照片、1条语音"."""
    counts: dict[FileKind, int] = {}
    for file in files:
        counts[file.kind] = counts.get(file.kind, 0) + 1
    parts = [t(language, f"files.{kind.value}", count=n) for kind, n in counts.items()]
    return t(language, "files.join").join(parts)


def question(ctx: Context, language: str, draft: Draft, step: str, note: str = "") -> Message:
    """The message asking for `step` (see flow.md); `note` goes first, e.g. "2 photos added"."""
    ask = ASKS[step]
    message = ask(ctx, language, draft)
    text = f"{note}\n\n{message.text}" if note else message.text
    return Message(text, buttons=message.buttons)


def ask_compound(ctx: Context, language: str, draft: Draft) -> Message:
    """Which compound: one button each."""
    buttons = [Button(c.name, data(draft, "c", c.code)) for c in ctx.community.compounds]
    keyboard = (*rows(buttons, 2), cancel_row(language, draft))
    return Message(t(language, "report.ask_compound"), buttons=keyboard)


def ask_describe(ctx: Context, language: str, draft: Draft) -> Message:
    """A description; when files came alone, they may be enough."""
    if not draft.files:
        return Message(t(language, "report.ask_describe"), buttons=(cancel_row(language, draft),))
    skip = (Button(t(language, "report.skip_describe"), data(draft, "skip")),)
    text = t(language, "report.ask_describe_files", files=attachments(language, draft))
    return Message(text, buttons=(skip, cancel_row(language, draft)))


def ask_where(ctx: Context, language: str, draft: Draft) -> Message:
    """Where: the compound's buildings as buttons, the common area, or a shared location."""
    assert draft.compound is not None
    compound = ctx.community.compound(draft.compound)
    buttons = [Button(b.name, data(draft, "b", b.code)) for b in compound.buildings]
    common = (Button(t(language, "report.common_area"), data(draft, "common")),)
    keyboard = (*rows(buttons), common, cancel_row(language, draft))
    return Message(t(language, "report.ask_where", compound=compound.name), buttons=keyboard)


def ask_unit(ctx: Context, language: str, draft: Draft) -> Message:
    """Which unit of the chosen building, or "not sure"."""
    assert draft.compound is not None and draft.building is not None
    building = next(
        b for b in ctx.community.compound(draft.compound).buildings if b.code == draft.building
    )
    buttons = [
        Button(t(language, "place.unit", unit=n), data(draft, "u", n))
        for n in range(1, building.units + 1)
    ]
    unsure = (Button(t(language, "report.unit_unsure"), data(draft, "u", 0)),)
    keyboard = (*rows(buttons), unsure, cancel_row(language, draft))
    return Message(t(language, "report.ask_unit", building=building.name), buttons=keyboard)


def ask_retype(ctx: Context, language: str, draft: Draft) -> Message:
    """A new description replaces the old one."""
    back = (Button(t(language, "report.back"), data(draft, "back")),)
    return Message(t(language, "report.ask_retype", text=snippet(draft.text)), buttons=(back,))


def ask_resume(ctx: Context, language: str, draft: Draft) -> Message:
    """An unfinished report from earlier: go on with it, or start again."""
    text = t(language, "report.resume", text=snippet(draft.text) or attachments(language, draft))
    keyboard = (
        (
            Button(t(language, "report.resume_go"), data(draft, "go")),
            Button(t(language, "report.resume_anew"), data(draft, "anew")),
        ),
    )
    return Message(text, buttons=keyboard)


def summary(
    ctx: Context, language: str, draft: Draft, triage: Triage, same: Ticket | None
) -> Message:
    """Everything the resident said, how it was triaged, what happens next; submit, edit, cancel."""
    where = wording.place(language, ctx.community, draft)
    lines = [t(language, "report.summary_title")]
    lines.append(
        t(language, "report.summary_text", text=draft.text or t(language, "report.no_text"))
    )
    if draft.files:
        lines.append(t(language, "report.summary_files", files=attachments(language, draft)))
    lines.append(t(language, "report.summary_place", place=where))
    if draft.remembered:
        lines.append(t(language, "report.remembered"))
    if draft.building is not None and draft.room is None:
        lines.append(t(language, "report.room_hint"))
    lines.append(
        t(
            language,
            "report.summary_labels",
            labels=wording.labels(language, triage.urgency, triage.category),
        )
    )
    lines.append(wording.promise(language, ctx.community.sla, triage.urgency, triage.route))
    keyboard: list[tuple[Button, ...]] = []
    if triage.unsure and draft.category is None and same is None:
        lines.append(t(language, "report.which_category"))
        keyboard += rows([category_button(language, draft, c) for c in triage.candidates], 1)
    submit = Button(t(language, "report.submit"), data(draft, "send"))
    keyboard.append((submit,))
    if same is not None and draft.compound is not None:
        label = ticket_label(draft.compound, same.number)
        lines.append(t(language, "report.same_problem", ticket=label))
        follow = Button(t(language, "report.follow", ticket=label), data(draft, "plus", same.id))
        keyboard = [(follow,), (Button(t(language, "report.submit_anyway"), data(draft, "send")),)]
    keyboard.append(
        (
            Button(t(language, "report.edit"), data(draft, "edit")),
            Button(t(language, "report.cancel"), data(draft, "drop")),
        )
    )
    return Message("\n".join(lines), buttons=tuple(keyboard))


def category_button(language: str, draft: Draft, category: Category) -> Button:
    """One answer to "what is this about?"."""
    return Button(t(language, f"category.{category.value}"), data(draft, "cat", category.value))


def edit_menu(language: str, draft: Draft) -> Message:
    """What can be changed before submitting."""
    buttons = [
        Button(t(language, "report.edit_text"), data(draft, "et")),
        Button(t(language, "report.edit_place"), data(draft, "ep")),
    ]
    if draft.files:
        buttons.append(Button(t(language, "report.edit_files"), data(draft, "ef")))
    back = (Button(t(language, "report.back"), data(draft, "back")),)
    return Message(t(language, "report.edit_title"), buttons=(*rows(buttons, 2), back))


ASKS = {
    steps.COMPOUND: ask_compound,
    steps.DESCRIBE: ask_describe,
    steps.WHERE: ask_where,
    steps.UNIT: ask_unit,
    steps.RETYPE: ask_retype,
    steps.RESUME: ask_resume,
}
