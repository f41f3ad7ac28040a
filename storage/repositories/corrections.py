"""Handlers' corrections of triage, kept as labelled examples for the next training run."""

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import TriageCorrection


class CorrectionRepository:
    """Writes corrections as they happen; reads the last word on each ticket for training."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, correction: TriageCorrection) -> TriageCorrection:
        """Store a correction and give it its id."""
        self.session.add(correction)
        await self.session.flush()
        return correction

    async def latest_per_ticket(self) -> Sequence[TriageCorrection]:
        """The most recent correction of each corrected ticket, by ticket id."""
        latest = (
            select(
                TriageCorrection.id,
                func.row_number()
                .over(
                    partition_by=col(TriageCorrection.ticket_id),
                    order_by=(
                        col(TriageCorrection.corrected_at).desc(),
                        col(TriageCorrection.id).desc(),
                    ),
                )
                .label("rank"),
            )
        ).subquery()
        query = (
            select(TriageCorrection)
            .join(latest, col(TriageCorrection.id) == latest.c.id)
            .where(latest.c.rank == 1)
            .order_by(col(TriageCorrection.ticket_id))
        )
        return (await self.session.exec(query)).all()
