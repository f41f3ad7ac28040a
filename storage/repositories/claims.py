"""Claims of once-per-period jobs, so several instances never send one digest twice."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import JobClaim
from storage.repositories._sql import insert_unless_exists


class ClaimRepository:
    """First come, first served: the first instance to claim (job, period, chat) does the job."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, job: str, period: str, chat_id: int, by: str, now: datetime) -> bool:
        """True if this caller won the claim; False if it was claimed already."""
        values = {"job": job, "period": period, "chat_id": chat_id, "claimed_by": by}
        return await insert_unless_exists(
            self.session, JobClaim, {**values, "claimed_at": now}, ["job", "period", "chat_id"]
        )
