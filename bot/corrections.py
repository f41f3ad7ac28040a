"""`python -m bot triage corrections`: handlers' re-triage, written out as training examples."""

from pathlib import Path

from storage.models import TriageCorrection
from storage.uow import UnitOfWork
from triage import dataset
from triage.normalize import is_chinese


def example_of(correction: TriageCorrection) -> dataset.Example:
    """A correction as a labelled example: the ticket's words with the handler's labels."""
    text = correction.text
    return dataset.Example(
        id=f"cor-{correction.ticket_id}",
        text=text,
        urgency=correction.urgency,
        category=correction.category,
        route=correction.route,
        lang="zh" if any(map(is_chinese, text)) else "en",
        hard=True,  # the classifier got it wrong: a close case by definition
    )


async def export(uow: UnitOfWork, out: Path, training: Path = dataset.TRAINING) -> tuple[int, int]:
    """Write each ticket's last correction to `out` as a training example; (written, skipped)."""
    async with uow:
        examples = [example_of(c) for c in await uow.corrections.latest_per_ticket()]
    return dataset.write_new(examples, out, training)
